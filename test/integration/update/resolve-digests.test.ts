import { RegistryClient } from '../../../shared/image/registry/index.js';
import { parseRegistryReference } from '../../../shared/image/reference.js';
import { resolveDigests, type ManifestHeader } from '../../../shared/update/index.js';
import { buildImage, file, pushImage } from '../../harness/image-builder.js';
import { testRegistries } from '../../harness/registries.js';

/** Resolution against the real registries: one HEAD per unique tag, at most `concurrency` at once, with auth. */
describe('resolveDigests', () => {
  const { plain, bearer } = testRegistries();

  function counting(client: RegistryClient): ManifestHeader & { calls: string[]; peak: number } {
    let inFlight = 0;
    const counter = {
      calls: [] as string[],
      peak: 0,
      async headManifest(...args: Parameters<RegistryClient['headManifest']>) {
        counter.calls.push(`${args[0].repository}:${args[1]}`);
        inFlight++;
        counter.peak = Math.max(counter.peak, inFlight);
        try {
          return await client.headManifest(...args);
        } finally {
          inFlight--;
        }
      },
    };
    return counter;
  }

  it('asks once per unique tag, never more than the bound at once, and gives each its digest or its reason', async () => {
    const repo = `update/resolve-${process.pid}`;
    const pushed: string[] = [];
    for (let i = 0; i < 7; i++) pushed.push(await pushImage(plain, repo, `t${i}`, await buildImage({ layers: [[file('x', `resolve ${i}\n`)]] })));
    const references = [...Array.from({ length: 7 }, (_, i) => parseRegistryReference(`${plain.host}/${repo}:t${i}`)), parseRegistryReference(`${plain.host}/${repo}:t0@${pushed[1]}`), parseRegistryReference(`${plain.host}/${repo}:missing`)];
    const client = new RegistryClient({ insecureRegistries: [plain.host] });
    const header = counting(client);
    try {
      const results = await resolveDigests(references, header, 3);
      expect(header.calls.sort()).toEqual([...Array.from({ length: 7 }, (_, i) => `${repo}:t${i}`), `${repo}:missing`].sort());
      expect(header.peak).toBeLessThanOrEqual(3);
      expect(header.peak).toBeGreaterThan(1);
      for (let i = 0; i < 7; i++) expect(results.get(`${plain.host}/${repo}:t${i}`)).toMatchObject({ digest: pushed[i] });
      expect(results.get(`${plain.host}/${repo}:missing`)).toEqual({ error: expect.stringMatching(/manifest .*:missing: .* answered HTTP 404/) });
    } finally {
      await client.close();
    }
  });

  it('authenticates at a Bearer-token registry with the credentials given', async () => {
    const repo = `update/private-${process.pid}`;
    const digest = await pushImage(bearer, repo, '1', await buildImage({ layers: [[file('p', 'private\n')]] }));
    const { registryCredentials } = await import('../../../shared/image/registry/index.js');
    const client = new RegistryClient({
      insecureRegistries: [bearer.host],
      credentials: registryCredentials({ explicit: [{ registry: bearer.host, username: bearer.username!, password: bearer.password! }], dockerConfig: false, acr: false }),
    });
    try {
      const results = await resolveDigests([parseRegistryReference(`${bearer.host}/${repo}:1`)], client);
      expect(results.get(`${bearer.host}/${repo}:1`)).toMatchObject({ digest });
    } finally {
      await client.close();
    }
  });
});
