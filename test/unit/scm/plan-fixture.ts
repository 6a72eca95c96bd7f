import type { PlanDocument } from '../../../shared/update/index.js';

export const OLD = `sha256:${'a'.repeat(64)}`;
export const NEW = `sha256:${'b'.repeat(64)}`;
export const NEWER = `sha256:${'c'.repeat(64)}`;

/** A plan as update-base-images writes it: one image in two files, one reference not resolved. */
export function plan(to = NEW): PlanDocument {
  return {
    updates: [
      { file: 'Dockerfile', line: 2, image: 'registry.example/base', tag: '1', from: OLD, to, fixes: ['CVE-2024-0001', 'CVE-2024-0002'], fixesBySeverity: { HIGH: 1, LOW: 1 }, manager: 'dockerfile', kind: 'from', created: { from: '2024-01-01T00:00:00Z', to: '2024-06-01T00:00:00Z' } },
      { file: 'svc/api.Dockerfile', line: 1, image: 'registry.example/base', tag: '1', from: OLD, to, fixes: ['CVE-2024-0001', 'CVE-2024-0002'], manager: 'dockerfile', kind: 'from' },
      { file: 'tools/Dockerfile', line: 1, image: 'registry.example/tools', tag: '3', from: null, to: NEWER, manager: 'dockerfile', kind: 'from' },
    ],
    unresolved: [{ file: 'Dockerfile', line: 5, image: 'registry.example/gone', tag: '9', reason: 'manifest unknown', manager: 'dockerfile', kind: 'from' }],
    written: true,
  };
}
