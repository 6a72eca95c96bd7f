import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';
import { bundleToJSON } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } from '@sigstore/sign';

/**
 * @sigstore/mock's Fulcio, Rekor, CT log and TSA, served over real HTTP on loopback (the
 * package ships nock adapters; we serve its handlers instead so @sigstore/sign talks to a
 * socket as it would to sigstore.dev). Each instance has its own keys: a second instance is a
 * Sigstore deployment the first one's trusted root does not know.
 */
export interface OidcClaims {
  iss: string;
  sub: string;
  [claim: string]: string;
}

export interface SigstoreServices {
  url: string;
  /** trusted_root.json naming this instance's CA, logs and TSA, as `cosign trusted-root create` would. */
  trustedRoot: unknown;
  /** A DSSE bundle over `statement`, signed keylessly for `claims` (Fulcio cert, Rekor entry, TSA timestamp). */
  signDsse(statement: object, claims: OidcClaims): Promise<unknown>;
  /** A DSSE bundle over `statement` signed with a key (`cosign sign --key` writing a bundle), logged in Rekor. */
  signDsseWithKey(statement: object, privateKey: KeyObject, publicPem: string): Promise<unknown>;
  /** A Fulcio certificate (PEM) for `publicKey`, as cosign 2 gets one before signing. */
  issueCertificate(publicKey: KeyObject, claims: OidcClaims): Promise<string>;
  /** A hashedrekord entry in cosign's `dev.sigstore.cosign/bundle` shape. */
  logHashedRekord(payload: Buffer, signature: Buffer, verifier: string): Promise<string>;
  close(): Promise<void>;
}

/** What mock Rekor answers for one entry (the rekor-types LogEntry, its fields as Rekor's API sends them). */
interface LoggedEntry {
  body: string;
  integratedTime: number;
  logIndex: number;
  logID: string;
  verification: { signedEntryTimestamp: string };
}

const P256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SINCE = '2020-01-01T00:00:00Z';

/** An unsigned JWT: mock Fulcio reads its claims without checking a signature, as it cannot reach an OIDC provider. */
export function unsignedJwt(claims: OidcClaims): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'sigstore', ...claims })}.`;
}

export async function startSigstoreServices(options: { caClock?: Date } = {}): Promise<SigstoreServices> {
  const routes = new Map<string, (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const handler = request.method === 'POST' ? routes.get(new URL(request.url ?? '/', 'http://x').pathname) : undefined;
      if (!handler) {
        response.writeHead(404).end();
        return;
      }
      handler(Buffer.concat(chunks).toString('utf8')).then(
        ({ statusCode, response: body, contentType }) => {
          response.writeHead(statusCode, { 'Content-Type': contentType ?? 'text/plain' });
          response.end(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        },
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ctlog = await initializeCTLog(P256());
  const ca = await initializeCA(P256(), ctlog, options.caClock);
  const tlog = await initializeTLog(url, P256());
  const tsa = await initializeTSA(P256());
  for (const handler of [fulcioHandler(ca), rekorHandler(tlog), tsaHandler(tsa)]) routes.set(handler.path, handler.fn);

  const raw = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: tlog.publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: SINCE } },
        logId: { keyId: createHash('sha256').update(tlog.publicKey).digest('base64') },
      },
    ],
    certificateAuthorities: [
      { subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: url, certChain: { certificates: [{ rawBytes: raw(ca.rootCertificate) }] }, validFor: { start: SINCE } },
    ],
    ctlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: ctlog.publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: SINCE } },
        logId: { keyId: raw(ctlog.logID) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' },
        certChain: { certificates: [{ rawBytes: raw(tsa.intCertificate) }, { rawBytes: raw(tsa.rootCertificate) }] },
        validFor: { start: SINCE },
      },
    ],
  };

  return {
    url,
    trustedRoot,
    async signDsse(statement, claims) {
      const builder = new DSSEBundleBuilder({
        signer: new FulcioSigner({ fulcioBaseURL: url, identityProvider: { getToken: () => Promise.resolve(unsignedJwt(claims)) } }),
        witnesses: [new RekorWitness({ rekorBaseURL: url, entryType: 'intoto' }), new TSAWitness({ tsaBaseURL: url })],
      });
      // The mock TSA (pkijs) trims trailing zeros from the GeneralizedTime fraction (".12Z"), which
      // @sigstore/core's parser refuses (it reads exactly three digits): sign again until it is readable.
      for (let attempt = 0; ; attempt++) {
        const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
        const stamp = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps[0]?.signedTimestamp;
        try {
          if (stamp) void RFC3161Timestamp.parse(Buffer.from(stamp)).signingTime;
          return bundleToJSON(bundle);
        } catch (error) {
          if (attempt >= 8) throw error;
        }
      }
    },
    async signDsseWithKey(statement, privateKey, publicPem) {
      const builder = new DSSEBundleBuilder({
        signer: { sign: (data) => Promise.resolve({ signature: sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }), key: { $case: 'publicKey', publicKey: publicPem } }) },
        witnesses: [new RekorWitness({ rekorBaseURL: url, entryType: 'intoto' })],
      });
      return bundleToJSON(await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' }));
    },
    async issueCertificate(publicKey, claims) {
      const { iss, sub, ...rest } = claims;
      const extensions = [
        { oid: '1.3.6.1.4.1.57264.1.8', value: iss },
        ...(rest.job_workflow_ref ? [{ oid: '1.3.6.1.4.1.57264.1.9', value: `https://github.com/${rest.job_workflow_ref}` }] : []),
      ];
      const der = await ca.issueCertificate({ publicKey: publicKey.export({ type: 'spki', format: 'der' }), subjectAltName: sub, extensions });
      return `-----BEGIN CERTIFICATE-----\n${raw(der).replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    },
    async logHashedRekord(payload, signature, verifier) {
      const entry = await tlog.log({
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
          signature: { content: signature.toString('base64'), publicKey: { content: Buffer.from(verifier).toString('base64') } },
        },
      });
      const logged = Object.values(entry as unknown as Record<string, LoggedEntry>)[0]!;
      return JSON.stringify({
        SignedEntryTimestamp: logged.verification.signedEntryTimestamp,
        Payload: { body: logged.body, integratedTime: logged.integratedTime, logIndex: logged.logIndex, logID: logged.logID },
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
