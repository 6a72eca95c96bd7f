import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from './x509.js';
import { DrydockError } from '../../errors.js';
import type { TrustStoreType } from './trust-policy.js';

/**
 * A Notary Project trust store folder laid out as notation keeps it:
 * `x509/{ca,signingAuthority,tsa}/<name>/` each holding certificate files (PEM with one or more
 * certificates, or one DER certificate; notation reads every file whatever its extension).
 */
export interface TrustStore {
  /** The folder as the user named it, for messages. */
  source: string;
  /** `ca:NAME` -> its certificates; a named store that is absent is not in the map. */
  stores: Map<string, X509Certificate[]>;
}

const TYPES: TrustStoreType[] = ['ca', 'signingAuthority', 'tsa'];
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

async function listDirectory(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Reads `--trust-store DIR`; a file that is not a certificate is an error naming it, never skipped. */
export async function loadTrustStore(dir: string): Promise<TrustStore> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new DrydockError('INPUT_INVALID', `trust store ${dir} is not a folder (it should hold x509/ca/<name>/ certificate folders)`);
  const stores = new Map<string, X509Certificate[]>();
  for (const type of TYPES) {
    for (const name of await listDirectory(join(dir, 'x509', type))) {
      const folder = join(dir, 'x509', type, name);
      if (!(await stat(folder)).isDirectory()) continue;
      const certificates: X509Certificate[] = [];
      for (const file of await listDirectory(folder)) {
        const path = join(folder, file);
        if (!(await stat(path)).isFile()) continue;
        certificates.push(...parseCertificateFile(await readFile(path), path));
      }
      stores.set(`${type}:${name}`, certificates);
    }
  }
  return { source: dir, stores };
}

/** The certificates in one file, PEM or DER. */
export function parseCertificateFile(content: Buffer, path: string): X509Certificate[] {
  const text = content.toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  const ders = blocks.length > 0 ? blocks : [content];
  return ders.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      const which = blocks.length > 1 ? `certificate ${i + 1} in ` : '';
      throw new DrydockError('INPUT_INVALID', `trust store file ${path}: ${which}not an X.509 certificate in PEM or DER (${(error as Error).message})`, { cause: error });
    }
  });
}
