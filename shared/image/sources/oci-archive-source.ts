import type { Readable } from 'node:stream';
import { formatReference, type ImageReference } from '../reference.js';
import type { SourceOptions } from '../source.js';
import { LayoutImageSource, selectLayoutRoot, type LayoutFiles } from './oci-layout-source.js';
import { TarIndex } from './tar-index.js';

/**
 * `oci-archive:FILE[:TAG]`: a tar of an OCI layout, read in place. The tar's headers are indexed
 * once; manifests and blobs are byte ranges of the file, never extracted.
 */
export class TarLayoutFiles implements LayoutFiles {
  constructor(readonly tar: TarIndex) {}

  describe(path: string): string {
    return `${this.tar.file}!${path}`;
  }

  async size(path: string): Promise<number | undefined> {
    return this.tar.find(path)?.size;
  }

  async read(path: string): Promise<Buffer | undefined> {
    const member = this.tar.find(path);
    return member ? this.tar.read(member) : undefined;
  }

  async stream(path: string): Promise<Readable | undefined> {
    const member = this.tar.find(path);
    return member ? this.tar.stream(member) : undefined;
  }
}

export class OciArchiveSource extends LayoutImageSource {
  static async open(reference: ImageReference & { transport: 'oci-archive' }, options: SourceOptions = {}): Promise<OciArchiveSource> {
    const what = formatReference(reference);
    const files = new TarLayoutFiles(await TarIndex.open(reference.path, what));
    const root = await selectLayoutRoot(files, reference.tag, what, options.maxManifestBytes);
    return new OciArchiveSource(reference, files, root, options);
  }
}
