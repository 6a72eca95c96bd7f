import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { DrydockError, isDrydockError } from '../errors.js';
import { noteStreamedBytes } from './buffer-reclaim.js';
import { createDecompressor, decodeError, peekCompression, type Compression } from './decompress.js';
import type { Descriptor } from './schema.js';
import { baseName, joinPath, normalizeEntryPath, normalizeLookupPath, parentOf } from './tar-path.js';

/**
 * Reads one layer blob once, as a stream (blob -> decompress -> tar), and keeps only the files the
 * catalogers asked for. Everything else flows past and is dropped; nothing touches the disk.
 */

export interface FileRequest {
  /** Exact paths wanted (normalised: relative, '/' separated; a leading '/' is tolerated). */
  paths?: string[];
  /** Pattern requests (e.g. any node_modules/**\/package.json), called with normalised paths. */
  match?: (path: string) => boolean;
  /** Larger files are listed in `oversized`, never buffered (nor handed to `analyze`). */
  maxFileSize: number;
  /**
   * Optional streaming analyser (Go binaries, jars): gets the entry stream instead of buffering it;
   * its resolved value is stored as `analysis` on the LayerFile (content is then undefined unless
   * another request buffers the same file). The analyser may stop reading early; the rest is drained.
   * A rejection fails the walk. When several requests analyse the same file (a Go and a Rust
   * analyser both want every executable), each reads its own copy of the one stream, and
   * `analysis` is the first result that is not undefined, in request order: an analyser returns
   * undefined for a file that is not its kind.
   */
  analyze?: (path: string, stream: Readable, info: { size: number; mode: number }) => Promise<unknown>;
  /**
   * Decides from the first SNIFF_BYTES of a file (fewer when the file is shorter) whether `analyze`
   * is worth starting: a file it turns down (and a hard link to it) is not kept and flows past,
   * costing what an unwanted file costs. Lets an analyser ask for wide patterns (any file could be
   * an executable) without paying for a stream per file.
   */
  sniff?: (head: Buffer) => boolean;
}

/** Bytes a `sniff` sees: enough for any executable or archive magic. */
export const SNIFF_BYTES = 16;

export interface LayerFile {
  path: string;
  size: number;
  mode: number;
  content?: Buffer;
  analysis?: unknown;
}

export interface LayerEntries {
  /** The blob digest from the manifest. */
  layerDigest: string;
  /** Captured files of this layer (hard links inside the layer resolved). */
  files: Map<string, LayerFile>;
  /** Every symlink in the layer: path -> link target as written. */
  symlinks: Map<string, string>;
  /** Paths this layer deletes in lower layers (from .wh.NAME). */
  whiteouts: string[];
  /** Dirs whose lower-layer contents this layer hides (.wh..wh..opq); '' is the root. */
  opaqueDirs: string[];
  oversized: Array<{ path: string; size: number }>;
  /**
   * Requested hard links whose target could not be captured: the target was not requested and
   * came earlier in the tar, and no `reopen` was given for a second pass (or the target is not
   * in this layer at all).
   */
  unresolvedLinks: Array<{ path: string; target: string }>;
  stats: {
    entries: number;
    uncompressedBytes: number;
    /** Entries skipped because their name (or hard link target) climbs above the root. */
    hostile: number;
    compression: Compression;
  };
}

export interface WalkLimits {
  /** Decompressed bytes (tar headers included) after which the walk stops: a bomb guard. Default 64 GiB. */
  maxUncompressedBytes?: number;
  /** Tar entries after which the walk stops. Default 5,000,000. */
  maxEntries?: number;
}

export interface WalkOptions extends WalkLimits {
  /**
   * Opens the same blob again (verified, like the first). Used only when a requested hard link
   * points at an earlier file nobody requested: the walker then re-reads the layer once, capturing
   * just those targets. Re-reading costs a second decompression in that rare case; the alternative,
   * holding every small file in case a later hard link wants it, would cost memory on every layer.
   */
  reopen?: () => Promise<Readable>;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 ** 3;
export const DEFAULT_MAX_ENTRIES = 5_000_000;

export async function walkLayer(blob: Readable, descriptor: Descriptor, requests: FileRequest[], options: WalkOptions = {}): Promise<LayerEntries> {
  const first = await walkOnce(blob, descriptor.digest, compile(requests), options);
  const { entries, pendingLinks } = first;
  if (pendingLinks.length === 0) return entries;
  if (!options.reopen) {
    for (const link of pendingLinks) entries.unresolvedLinks.push({ path: link.path, target: link.target });
    return entries;
  }

  // Second pass: capture exactly the targets, with the size limits and analysers of the links that want them.
  const targetRequests = pendingLinks.flatMap((link) => link.requests.map((r) => ({ ...r, paths: [link.target], match: undefined })));
  const second = await walkOnce(await options.reopen(), descriptor.digest, compile(targetRequests), options);
  for (const link of pendingLinks) {
    const target = second.entries.files.get(link.target);
    const oversized = second.entries.oversized.find((o) => o.path === link.target);
    if (target) entries.files.set(link.path, { ...target, path: link.path });
    else if (oversized) entries.oversized.push({ path: link.path, size: oversized.size });
    else if (!second.sniffedOut.has(link.target)) entries.unresolvedLinks.push({ path: link.path, target: link.target });
  }
  return entries;
}

type Analyze = NonNullable<FileRequest['analyze']>;

interface CompiledRequest {
  paths: Set<string> | undefined;
  match: ((path: string) => boolean) | undefined;
  maxFileSize: number;
  analyze: Analyze | undefined;
  request: FileRequest;
}

/** What to do with one wanted entry, merged over every request that wants it. */
interface Plan {
  /** Largest size a buffering request accepts; -1 when no buffering request wants the file. */
  bufferMax: number;
  /** Every distinct analyser that wants the file, in request order, with its size limit. */
  analyzers: Array<{ analyze: Analyze; max: number; sniff: ((head: Buffer) => boolean) | undefined }>;
  requests: FileRequest[];
}

interface PendingLink {
  path: string;
  target: string;
  requests: FileRequest[];
}

function compile(requests: FileRequest[]): CompiledRequest[] {
  return requests.map((request) => ({
    paths: request.paths ? new Set(request.paths.map(normalizeLookupPath)) : undefined,
    match: request.match,
    maxFileSize: request.maxFileSize,
    analyze: request.analyze,
    request,
  }));
}

/** Called for every entry: allocates only for wanted ones. */
function planFor(requests: CompiledRequest[], path: string): Plan | undefined {
  let plan: Plan | undefined;
  for (const r of requests) {
    if (!(r.paths?.has(path) || (r.match !== undefined && r.match(path)))) continue;
    plan ??= { bufferMax: -1, analyzers: [], requests: [] };
    plan.requests.push(r.request);
    if (r.analyze) {
      const analyze = r.analyze;
      if (!plan.analyzers.some((a) => a.analyze === analyze)) plan.analyzers.push({ analyze, max: r.maxFileSize, sniff: r.request.sniff });
    } else if (r.maxFileSize > plan.bufferMax) {
      plan.bufferMax = r.maxFileSize;
    }
  }
  return plan;
}

const noop = (): void => {};

/** tar-stream's entry: a streamx Readable (pause/resume/'data'/'end' like node's). */
type EntryStream = tar.ExtractEvents['entry'][1];

function walkOnce(
  blob: Readable,
  layerDigest: string,
  requests: CompiledRequest[],
  limits: WalkLimits,
): Promise<{ entries: LayerEntries; pendingLinks: PendingLink[]; sniffedOut: Set<string> }> {
  const maxBytes = limits.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;

  // Holds an error the blob emits between the peek and the walk's own listeners (a tick apart).
  let earlyError: Error | undefined;
  const onEarlyError = (error: Error): void => {
    earlyError ??= error;
  };
  blob.on('error', onEarlyError);

  return peekCompression(blob).then(
    ({ compression, stream: source }) =>
      new Promise((resolve, reject) => {
        const entries: LayerEntries = {
          layerDigest,
          files: new Map(),
          symlinks: new Map(),
          whiteouts: [],
          opaqueDirs: [],
          oversized: [],
          unresolvedLinks: [],
          stats: { entries: 0, uncompressedBytes: 0, hostile: 0, compression },
        };
        const pendingLinks: PendingLink[] = [];
        const oversizedSizes = new Map<string, number>();
        // Files every wanting analyser's sniff turned down: not kept, but a hard link to one is turned down too.
        const sniffedOut = new Set<string>();
        const decoder = createDecompressor(compression);
        // V7 (pre-POSIX) headers are valid tar too; each header's checksum still guards against garbage.
        const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
        const feeds = new Set<Readable>();

        let settled = false;
        let sourceEnded = false;
        let tarFinished = false;
        // The entry being handled (captured, analysed or drained); the tar parser can report its end
        // before the last entry's data has reached us, so completion waits for this to clear.
        let entryBusy = false;

        const fail = (error: Error): void => {
          if (settled) return;
          settled = true;
          source.destroy();
          decoder?.destroy();
          extract.destroy();
          for (const feed of feeds) feed.destroy(error);
          reject(error);
        };
        const maybeDone = (): void => {
          if (settled || !sourceEnded || !tarFinished || entryBusy) return;
          settled = true;
          resolve({ entries, pendingLinks, sniffedOut });
        };

        // Errors of the blob itself (digest mismatch at its end, network) win over what they cause downstream.
        const onBlobError = (error: Error): void => fail(isDrydockError(error) ? error : blobError(error, layerDigest));
        source.on('error', onBlobError);
        if (source === blob) blob.off('error', onEarlyError);
        if (earlyError) {
          onBlobError(earlyError);
          return;
        }
        source.on('end', () => {
          sourceEnded = true;
          if (decoder) decoder.end();
          else extract.end(undefined);
          maybeDone();
        });

        const tarInput = decoder ?? source;
        if (decoder) {
          decoder.on('error', (error: Error) => fail(decodeError(error, compression, layerDigest)));
          decoder.on('end', () => extract.end(undefined));
          decoder.on('drain', () => source.resume());
          source.on('data', (chunk: Buffer) => {
            if (!settled && !decoder.write(chunk)) source.pause();
          });
        }
        tarInput.on('data', (chunk: Buffer) => {
          if (settled) return;
          entries.stats.uncompressedBytes += chunk.length;
          noteStreamedBytes(chunk.length);
          if (entries.stats.uncompressedBytes > maxBytes) {
            fail(new DrydockError('LAYER_TOO_LARGE', `layer ${layerDigest}: decompresses to more than maxUncompressedBytes (${maxBytes} bytes)`));
            return;
          }
          if (!extract.write(chunk)) tarInput.pause();
        });
        extract.on('drain', () => tarInput.resume());
        extract.on('error', (error: Error) => fail(decodeError(error, 'none', layerDigest)));
        extract.on('finish', () => {
          tarFinished = true;
          maybeDone();
        });

        const done = (next: () => void): (() => void) => () => {
          entryBusy = false;
          next();
          maybeDone();
        };
        const drain = (stream: EntryStream, next: () => void): void => {
          stream.on('end', done(next));
          stream.resume();
        };

        extract.on('entry', (header: tar.Header, stream: EntryStream, next: () => void) => {
          if (settled) return;
          entryBusy = true;
          // Entry errors only ever mirror the extractor's, which fail() already handles.
          stream.on('error', noop);
          if (++entries.stats.entries > maxEntries) {
            fail(new DrydockError('LAYER_TOO_LARGE', `layer ${layerDigest}: more than maxEntries (${maxEntries}) tar entries`));
            return;
          }
          const path = normalizeEntryPath(header.name);
          if (path === null) {
            entries.stats.hostile++;
            drain(stream, next);
            return;
          }
          if (path === '') {
            drain(stream, next);
            return;
          }
          const type = header.type;
          if (type !== 'directory' && path.includes('.wh.') && recordWhiteout(path)) {
            drain(stream, next);
            return;
          }
          switch (type) {
            case 'file':
            case 'contiguous-file': {
              const plan = planFor(requests, path);
              if (plan === undefined) break;
              const size = header.size ?? 0;
              const mode = header.mode ?? 0;
              // Only sniffing analysers want it: the first bytes decide, also whether a size over the cap matters.
              if (plan.bufferMax < 0 && plan.analyzers.length > 0 && plan.analyzers.every((a) => a.sniff !== undefined)) {
                sniffThenCapture(stream, path, size, mode, plan.analyzers, done(next));
                return;
              }
              const buffer = plan.bufferMax >= 0 && size <= plan.bufferMax;
              const analyzers = plan.analyzers.filter((a) => size <= a.max).map((a) => a.analyze);
              if ((plan.bufferMax >= 0 && !buffer) || analyzers.length < plan.analyzers.length) {
                entries.oversized.push({ path, size });
                oversizedSizes.set(path, size);
              }
              if (buffer || analyzers.length > 0) {
                capture(stream, path, size, mode, buffer, analyzers, done(next));
                return;
              }
              break;
            }
            case 'link': {
              const target = normalizeEntryPath(header.linkname ?? '');
              if (target === null || target === '') {
                entries.stats.hostile++;
                break;
              }
              const plan = planFor(requests, path);
              if (plan === undefined) break;
              const captured = entries.files.get(target);
              if (!captured && sniffedOut.has(target) && plan.bufferMax < 0 && plan.analyzers.every((a) => a.sniff !== undefined)) break;
              const oversizedSize = oversizedSizes.get(target);
              if (captured) entries.files.set(path, { ...captured, path });
              else if (oversizedSize !== undefined) entries.oversized.push({ path, size: oversizedSize });
              else pendingLinks.push({ path, target, requests: plan.requests });
              break;
            }
            case 'symlink':
              entries.symlinks.set(path, header.linkname ?? '');
              break;
            default:
            // Directories carry nothing we keep; devices and fifos are never opened.
          }
          drain(stream, next);
        });

        /** True when the entry is a whiteout marker (recorded, never captured). */
        function recordWhiteout(path: string): boolean {
          const base = baseName(path);
          if (!base.startsWith('.wh.')) return false;
          const dir = parentOf(path);
          if (base === '.wh..wh..opq') entries.opaqueDirs.push(dir);
          else if (base.startsWith('.wh..wh.')) {
            // Other aufs metadata (.wh..wh.plnk, .wh..wh.aufs): not a deletion.
          } else {
            const name = base.slice(4);
            if (name === '' || name === '.' || name === '..') entries.stats.hostile++;
            else entries.whiteouts.push(joinPath(dir, name));
          }
          return true;
        }

        /**
         * Reads the first bytes, then starts only the analysers whose sniff accepts them; one over its
         * size cap makes the file oversized (a data file over the cap is no loss and no warning). A
         * file no analyser starts on is not kept; its path is remembered so a hard link to it is
         * turned down as well, without a second pass.
         */
        function sniffThenCapture(stream: EntryStream, path: string, size: number, mode: number, wanted: Plan['analyzers'], finish: () => void): void {
          const head: Buffer[] = [];
          let length = 0;
          // undefined while sniffing; true once turned down (the rest flows into onData and is ignored).
          let rejected: boolean | undefined;
          const decide = (ended: boolean): void => {
            // Usually one chunk holds the sniffed bytes: look at it in place rather than copy it.
            const first = head.length === 1 ? head[0]! : Buffer.concat(head, length);
            const accepted = wanted.filter((a) => a.sniff!(first));
            const analyzers = accepted.filter((a) => size <= a.max).map((a) => a.analyze);
            if (analyzers.length < accepted.length) {
              entries.oversized.push({ path, size });
              oversizedSizes.set(path, size);
            }
            rejected = analyzers.length === 0;
            if (rejected) {
              if (accepted.length === 0) sniffedOut.add(path);
              entries.files.delete(path);
              if (ended) finish();
              return;
            }
            stream.pause();
            stream.off('data', onData);
            stream.off('end', onEnd);
            capture(stream, path, size, mode, false, analyzers, finish, head, ended);
          };
          const onData = (data: unknown): void => {
            if (rejected !== undefined || settled) return;
            const chunk = data as Buffer;
            head.push(chunk);
            length += chunk.length;
            if (length >= SNIFF_BYTES || length >= size) decide(false);
          };
          const onEnd = (): void => {
            if (settled) return;
            if (rejected === undefined) decide(true);
            else if (rejected) finish();
          };
          stream.on('data', onData);
          stream.on('end', onEnd);
        }

        function capture(
          stream: EntryStream,
          path: string,
          size: number,
          mode: number,
          buffer: boolean,
          analyzers: Analyze[],
          finish: () => void,
          already: Buffer[] = [],
          alreadyEnded = false,
        ): void {
          // Copied into an exact-size buffer: keeping the parser's chunks would pin whole decode buffers.
          const content = buffer ? Buffer.allocUnsafe(size) : undefined;
          let offset = 0;
          let ended = false;
          const results: unknown[] = [];
          let pending = analyzers.length;
          // Feeds of analysers still reading; the entry flows only as fast as the slowest of them.
          const active = new Set<Readable>();
          // Feeds whose last push hit the high-water mark and that have not asked for more since.
          const full = new Set<Readable>();

          const complete = (): void => {
            if (settled || !ended || pending > 0) return;
            if (offset !== size) {
              fail(new DrydockError('LAYER_INVALID', `layer ${layerDigest}: entry ${path} has ${offset} bytes, its header says ${size}`));
              return;
            }
            const file: LayerFile = { path, size, mode };
            if (content) file.content = content;
            if (analyzers.length > 0) file.analysis = results.find((result) => result !== undefined);
            entries.files.set(path, file);
            finish();
          };
          const resumeWhenAllHungry = (): void => {
            if (full.size === 0) stream.resume();
          };

          const ownFeeds = analyzers.map(() => {
            const feed: Readable = new Readable({
              highWaterMark: 256 * 1024,
              read: () => {
                full.delete(feed);
                resumeWhenAllHungry();
              },
            });
            // An analyser that ignores errors must not crash the process when the walk fails under it.
            feed.on('error', noop);
            feeds.add(feed);
            active.add(feed);
            return feed;
          });
          const onData = (data: unknown): void => {
            const chunk = data as Buffer;
            if (content) {
              if (offset + chunk.length > size) {
                fail(new DrydockError('LAYER_INVALID', `layer ${layerDigest}: entry ${path} is longer than its header says`));
                return;
              }
              content.set(chunk, offset);
            }
            offset += chunk.length;
            for (const feed of active) if (!feed.push(chunk)) full.add(feed);
            if (full.size > 0) stream.pause();
          };
          const onEnd = (): void => {
            ended = true;
            for (const feed of active) feed.push(null);
            complete();
          };
          // Bytes a sniff already read come first; then the entry flows (or has already ended).
          for (const chunk of already) onData(chunk);
          if (alreadyEnded) onEnd();
          else {
            stream.on('data', onData);
            stream.on('end', onEnd);
            if (already.length > 0 && full.size === 0) stream.resume();
          }
          analyzers.forEach((analyze, index) => {
            const theFeed = ownFeeds[index]!;
            Promise.resolve()
              .then(() => analyze(path, theFeed, { size, mode }))
              .then(
                (result) => {
                  results[index] = result;
                  pending--;
                  feeds.delete(theFeed);
                  full.delete(theFeed);
                  if (active.delete(theFeed) && !ended) {
                    // This analyser has what it needs: the rest of the entry flows past it.
                    theFeed.destroy();
                    resumeWhenAllHungry();
                  }
                  complete();
                },
                (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
              );
          });
        }
      }),
    (error: unknown) => {
      blob.off('error', onEarlyError);
      blob.destroy();
      throw isDrydockError(error) ? error : blobError(error, layerDigest);
    },
  );
}

function blobError(error: unknown, layerDigest: string): DrydockError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DrydockError('LAYER_INVALID', `layer ${layerDigest}: reading the blob failed: ${reason}`, { cause: error });
}
