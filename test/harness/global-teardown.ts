import { rm } from 'node:fs/promises';
import type { HarnessState } from './global-setup.js';

/** Stops what global-setup.ts started and removes its temp dir. */
export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __drydockHarness?: HarnessState }).__drydockHarness;
  if (!state) return;
  await Promise.all(state.registries.map((registry) => registry.stop()));
  await state.tokenServer.close();
  if (state.reaperPid !== undefined) {
    try {
      process.kill(state.reaperPid);
    } catch {
      // already gone
    }
  }
  await rm(state.dir, { recursive: true, force: true });
  (globalThis as { __drydockHarness?: HarnessState }).__drydockHarness = undefined;
}
