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

export interface JavaArchiveReading {
  artifacts: JavaArtifact[];
  /** Archives (this one or nested) that named no Maven coordinates. */
  notes: string[];
}

/** Artifacts of one archive held in memory, nested archives included (fat jars, WEB-INF/lib). */
export async function readJavaArchive(buffer: Buffer, location: string, depth = 0): Promise<JavaArchiveReading> {
  const zip = await openZip(buffer);
  const poms: JavaArtifact[] = [];
  const nested: JavaArtifact[] = [];
  const notes: string[] = [];
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
            const reading = await readJavaArchive(inner, `${location}!${name}`, depth + 1);
            nested.push(...reading.artifacts);
            notes.push(...reading.notes);
          }
        };
        handle().then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  if (poms.length > 0) return { artifacts: [...poms, ...nested], notes };
  const fallback = manifestArtifact(manifest, location);
  if ('artifact' in fallback) return { artifacts: [fallback.artifact, ...nested], notes };
  return { artifacts: nested, notes: [fallback.note, ...notes] };
}

/** A Maven groupId or OSGi symbolic name: dotted identifiers (`org.apache.commons`), never a display title. */
const DOTTED_NAME = /^[A-Za-z_][\w-]*(?:\.[A-Za-z0-9_][\w-]*)+$/;
/** An artifactId: one token (`commons-text`), no spaces. */
const ARTIFACT_ID = /^[A-Za-z0-9_][\w.-]*$/;

export type ManifestReading = { artifact: JavaArtifact } | { note: string };

/**
 * Without pom.properties the manifest may still name the artifact (OSGi bundles, hand-built jars),
 * but only real coordinates make a package: a groupId-like `Implementation-Vendor-Id` with an
 * `Implementation-Title` that is an artifact id, or a dotted `Bundle-SymbolicName`. Display titles
 * (the JDK's jrt-fs.jar says `Implementation-Title: Java Runtime Environment`) would invent a Maven
 * package no advisory names, so they give no package and a note saying why.
 */
export function manifestArtifact(manifest: Map<string, string> | undefined, location: string): ManifestReading {
  if (!manifest) return { note: `${location}: no pom.properties and no META-INF/MANIFEST.MF; no Maven coordinates` };
  const title = manifest.get('Implementation-Title');
  const version = manifest.get('Implementation-Version');
  const vendorId = manifest.get('Implementation-Vendor-Id');
  if (title && version && vendorId && DOTTED_NAME.test(vendorId) && ARTIFACT_ID.test(title)) {
    return { artifact: { groupId: vendorId, artifactId: title, version, location, evidence: 'MANIFEST.MF' } };
  }
  const symbolic = manifest.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const bundleVersion = manifest.get('Bundle-Version');
  if (symbolic && bundleVersion && DOTTED_NAME.test(symbolic)) {
    return { artifact: { artifactId: symbolic, version: bundleVersion, location, evidence: 'MANIFEST.MF' } };
  }
  const named = [
    title ? `Implementation-Title ${JSON.stringify(title)}` : undefined,
    vendorId ? `Implementation-Vendor-Id ${JSON.stringify(vendorId)}` : undefined,
    symbolic ? `Bundle-SymbolicName ${JSON.stringify(symbolic)}` : undefined,
  ].filter((part) => part !== undefined);
  return {
    note: `${location}: no pom.properties, and its manifest gives no Maven coordinates (${named.length > 0 ? named.join(', ') : 'no title or symbolic name'}); not cataloged`,
  };
}

/** `notes`: archives that named no coordinates, for debug output (a jar without a Maven identity is not an error). */
export type JavaAnalysis = { kind: 'java'; artifacts: JavaArtifact[]; notes?: string[] } | { kind: 'java-error'; message: string };

/** Walker analyser: buffers the archive (the walker caps its size), reads it, keeps only the findings. */
export async function analyzeJavaArchive(path: string, stream: Readable): Promise<JavaAnalysis> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  try {
    const { artifacts, notes } = await readJavaArchive(Buffer.concat(chunks), path);
    return { kind: 'java', artifacts, ...(notes.length > 0 ? { notes } : {}) };
  } catch (error) {
    return { kind: 'java-error', message: error instanceof Error ? error.message : String(error) };
  }
}
