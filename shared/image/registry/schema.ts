import { z } from 'zod';

/** Every piece of foreign JSON the registry client reads: registry replies, token servers, docker config, helpers. */

/** `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}` from the distribution spec. */
export const registryErrorsSchema = z.object({
  errors: z.array(
    z.object({
      code: z.string(),
      message: z.string().optional(),
    }),
  ),
});
export type RegistryErrors = z.infer<typeof registryErrorsSchema>;

/** Token servers answer with `token` (Docker) or `access_token` (OAuth2), sometimes both. */
export const tokenResponseSchema = z
  .object({
    token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    expires_in: z.number().int().nonnegative().optional(),
    issued_at: z.string().optional(),
    refresh_token: z.string().optional(),
  })
  .refine((value) => value.token !== undefined || value.access_token !== undefined, {
    message: 'neither "token" nor "access_token" is present',
  });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const tagListSchema = z.object({
  name: z.string(),
  // distribution returns `null` for a repository without tags.
  tags: z.array(z.string()).nullable(),
});

/** `~/.docker/config.json`: only the parts that hold credentials. */
export const dockerConfigSchema = z
  .object({
    auths: z
      .record(
        z.string(),
        z
          .object({
            auth: z.string().optional(),
            username: z.string().optional(),
            password: z.string().optional(),
            identitytoken: z.string().optional(),
            registrytoken: z.string().optional(),
          })
          .passthrough(),
      )
      .optional(),
    credHelpers: z.record(z.string(), z.string()).optional(),
    credsStore: z.string().optional(),
  })
  .passthrough();
export type DockerConfig = z.infer<typeof dockerConfigSchema>;

/** What `docker-credential-<name> get` prints. */
export const credentialHelperOutputSchema = z.object({
  ServerURL: z.string().optional(),
  Username: z.string(),
  Secret: z.string(),
});

/** `POST /oauth2/exchange` on an Azure Container Registry. */
export const acrExchangeResponseSchema = z.object({
  refresh_token: z.string().min(1),
});
