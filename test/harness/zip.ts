import yazl from 'yazl';

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

/**
 * A zip in memory for tests (jars, wars, an OSV all.zip), written by yazl with a fixed mtime so
 * the bytes are the same every run. Entries are deflated unless `store` is asked for.
 */
export function makeZip(files: Record<string, string | Buffer>, options: { store?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files)) {
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { mtime: FIXED_MTIME, compress: !options.store });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
