import { PerformanceObserver, constants } from 'node:perf_hooks';
import { RECLAIM_EVERY_BYTES, canReclaim, noteStreamedBytes } from '../../../shared/image/buffer-reclaim.js';

/** Young-generation collections seen while `work` runs (perf_hooks reports every GC with its kind). */
async function minorCollections(work: () => void): Promise<number> {
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  observer.observe({ entryTypes: ['gc'] });
  work();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return minor;
}

describe('buffer reclaim', () => {
  it('can ask V8 for young-generation collections on this runtime', () => {
    expect(canReclaim()).toBe(true);
  });

  it('collects once per RECLAIM_EVERY_BYTES streamed, not per chunk', async () => {
    const chunk = 128 * 1024;
    const chunks = (10 * RECLAIM_EVERY_BYTES) / chunk;
    const seen = await minorCollections(() => {
      for (let i = 0; i < chunks; i++) noteStreamedBytes(chunk);
    });
    // Ten asked for; V8 may add one of its own.
    expect(seen).toBeGreaterThanOrEqual(10);
    expect(seen).toBeLessThanOrEqual(12);
  });

  it('does not collect below the threshold', async () => {
    // Start from a fresh count: cross the threshold once, then stay under it.
    noteStreamedBytes(RECLAIM_EVERY_BYTES);
    const seen = await minorCollections(() => {
      for (let i = 0; i < 100; i++) noteStreamedBytes(1024);
    });
    expect(seen).toBeLessThanOrEqual(1);
  });
});
