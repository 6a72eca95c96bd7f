import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Layer bytes flow through short-lived Buffers (network chunks, inflated chunks) whose memory lives
 * outside the JS heap. V8 frees such a buffer only when a collection finds it dead, and a layer walk
 * allocates too little JS heap to start one: dead buffers pile up until V8's external-memory limit
 * (64 MiB over the last collection) forces a full GC, a third of the 200 MB a scan may use. A
 * young-generation collection every 4 MiB of streamed bytes frees them at once; it takes about
 * 0.1 ms, against some 20 ms to inflate those 4 MiB.
 *
 * The collector is not exposed by default; setting --expose-gc at run time makes it reachable from a
 * new context (the v8.setFlagsFromString route Node documents). If that ever stops working, this
 * does nothing and V8's own limit applies, as before.
 */
type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

export const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;

let collect: Collect | null | undefined;
let sinceLast = 0;

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Whether young-generation collections can be asked for in this runtime. */
export function canReclaim(): boolean {
  return collector() !== null;
}

/** Counts bytes that went through throwaway buffers; collects the young generation every RECLAIM_EVERY_BYTES. */
export function noteStreamedBytes(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < RECLAIM_EVERY_BYTES) return;
  sinceLast = 0;
  collector()?.({ type: 'minor' });
}
