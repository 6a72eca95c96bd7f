import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** One Maven artifact found inside a Java archive (or an archive nested in it). */
export interface JavaArtifact {
  groupId?: string;
  artifactId: string;
  version: string;
  /** `app.war!WEB-INF/lib/x.jar` style path inside the image file. */
  location: string;
  evidence: 'pom.properties' | 'MANIFEST.MF';
}

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi|par|sar|nar|kar)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MAX_DEPTH = 4;
const MAX_NESTED_BYTES = 128 * 1024 * 1024;
const MAX_SMALL_ENTRY = 1024 * 1024;

export function isJavaArchive(path: string): boolean {
  return ARCHIVE.test(path);
}

/** Java `.properties`: `key=value` or `key: value`, `#`/`!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) props.set(match[1]!, match[2]!.trim());
  }
  return props;
}

/** MANIFEST.MF main section: `Name: value`, 72-byte lines continued with a leading space. */
export function parseManifest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '') break; // end of the main section
    if (raw.startsWith(' ') && last !== undefined) {
      fields.set(last, fields.get(last) + raw.slice(1));
      continue;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    last = raw.slice(0, colon).trim();
    fields.set(last, raw.slice(colon + 1).trim());
  }
  return fields;
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('cannot open zip'));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number): Promise<Buffer> {
  if (entry.uncompressedSize > cap) return Promise.reject(new Error(`${entry.fileName} is larger than ${cap} bytes`));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error(`cannot read ${entry.fileName}`));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** Artifacts of one archive held in memory, nested archives included (fat jars, WEB-INF/lib). */
export async function readJavaArchive(buffer: Buffer, location: string, depth = 0): Promise<JavaArtifact[]> {
  const zip = await openZip(buffer);
  const poms: JavaArtifact[] = [];
  const nested: JavaArtifact[] = [];
  let manifest: Map<string, string> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const handle = async (): Promise<void> => {
          if (POM_PROPERTIES.test(name)) {
            const props = parseProperties((await readEntry(zip, entry, MAX_SMALL_ENTRY)).toString('utf8'));
            const artifactId = props.get('artifactId');
            const version = props.get('version');
            if (artifactId && version) {
              poms.push({ ...(props.get('groupId') ? { groupId: props.get('groupId')! } : {}), artifactId, version, location, evidence: 'pom.properties' });
            }
          } else if (name === 'META-INF/MANIFEST.MF') {
            manifest = parseManifest((await readEntry(zip, entry, MAX_SMALL_ENTRY)).toString('utf8'));
          } else if (ARCHIVE.test(name) && depth < MAX_DEPTH) {
            const inner = await readEntry(zip, entry, MAX_NESTED_BYTES);
            nested.push(...(await readJavaArchive(inner, `${location}!${name}`, depth + 1)));
          }
        };
        handle().then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  const own = poms.length > 0 ? poms : manifestArtifact(manifest, location);
  return [...own, ...nested];
}

/** Without pom.properties the manifest may still name the artifact (OSGi bundles, hand-built jars). */
function manifestArtifact(manifest: Map<string, string> | undefined, location: string): JavaArtifact[] {
  if (!manifest) return [];
  const title = manifest.get('Implementation-Title');
  const version = manifest.get('Implementation-Version');
  const vendorId = manifest.get('Implementation-Vendor-Id');
  if (title && version) {
    return [{ ...(vendorId ? { groupId: vendorId } : {}), artifactId: title, version, location, evidence: 'MANIFEST.MF' }];
  }
  const symbolic = manifest.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const bundleVersion = manifest.get('Bundle-Version');
  if (symbolic && bundleVersion) return [{ artifactId: symbolic, version: bundleVersion, location, evidence: 'MANIFEST.MF' }];
  return [];
}

export type JavaAnalysis = { kind: 'java'; artifacts: JavaArtifact[] } | { kind: 'java-error'; message: string };

/** Walker analyser: buffers the archive (the walker caps its size), reads it, keeps only the findings. */
export async function analyzeJavaArchive(path: string, stream: Readable): Promise<JavaAnalysis> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  try {
    return { kind: 'java', artifacts: await readJavaArchive(Buffer.concat(chunks), path) };
  } catch (error) {
    return { kind: 'java-error', message: error instanceof Error ? error.message : String(error) };
  }
}
