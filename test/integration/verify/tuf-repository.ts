import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Key, Metadata, MetaFile, Root, Signature, Snapshot, Targets, TargetFile, Timestamp } from '@tufjs/models';

/**
 * A TUF repository as a Sigstore mirror serves one, made with @tufjs/models and a real ed25519
 * key, on 127.0.0.1: root, timestamp, snapshot and targets metadata signed by that key, and the
 * target `trusted_root.json` under `targets/`. `tamper` serves other bytes for the target than
 * the signed targets metadata describes.
 */
export interface TufRepository {
  url: string;
  /** The root.json a client is seeded with (`--tuf-root`). */
  root: Buffer;
  /** Requests seen, as `GET /path`. */
  requests: string[];
  close(): Promise<void>;
}

const EXPIRES = '2099-01-01T00:00:00Z';
const SPEC = { specVersion: '1.0.31', expires: EXPIRES, version: 1 };

export async function startTufRepository(trustedRoot: unknown, options: { tamper?: boolean } = {}): Promise<TufRepository> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyID = createHash('sha256').update(publicPem).digest('hex');
  const key = new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: publicPem } });
  const signer = (data: Buffer) => new Signature({ keyID, sig: sign(null, data, privateKey).toString('hex') });
  const signed = <T extends Root | Targets | Snapshot | Timestamp>(role: T): Buffer => {
    const metadata = new Metadata(role);
    metadata.sign(signer);
    return Buffer.from(JSON.stringify(metadata.toJSON()));
  };

  const target = Buffer.from(JSON.stringify(trustedRoot));
  const rootRole = new Root({ ...SPEC, consistentSnapshot: false });
  for (const name of ['root', 'targets', 'snapshot', 'timestamp']) rootRole.addKey(key, name);
  const root = signed(rootRole);
  const targets = signed(
    new Targets({
      ...SPEC,
      targets: { 'trusted_root.json': new TargetFile({ path: 'trusted_root.json', length: target.length, hashes: { sha256: createHash('sha256').update(target).digest('hex') } }) },
    }),
  );
  const snapshot = signed(new Snapshot({ ...SPEC, meta: { 'targets.json': new MetaFile({ version: 1 }) } }));
  const timestamp = signed(new Timestamp({ ...SPEC, snapshotMeta: new MetaFile({ version: 1 }) }));
  const served = Buffer.from(target);
  if (options.tamper) served[served.length - 2] = served[served.length - 2]! ^ 0x01;
  const files = new Map<string, Buffer>([
    ['/1.root.json', root],
    ['/timestamp.json', timestamp],
    ['/snapshot.json', snapshot],
    ['/targets.json', targets],
    ['/targets/trusted_root.json', served],
  ]);

  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const body = files.get(request.url ?? '');
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    response.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    root,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
