import type { ImageSource, RawManifest } from './source.js';

/** The source with its root manifest read once: what was verified is what is scanned. */
export function pinRoot(source: ImageSource, root?: RawManifest): ImageSource {
  let pinned: Promise<RawManifest> | undefined = root ? Promise.resolve(root) : undefined;
  return {
    reference: source.reference,
    rootManifest: () => (pinned ??= source.rootManifest()),
    manifest: (digest) => source.manifest(digest),
    openBlob: (descriptor) => source.openBlob(descriptor),
    readBlob: (descriptor, maxBytes) => source.readBlob(descriptor, maxBytes),
    referrers: (digest, artifactType) => source.referrers(digest, artifactType),
    tagged: (tag) => source.tagged(tag),
    close: () => source.close(),
  };
}
