import { planUpdates, extractDockerfile, applyEdits, type DigestResolution } from '../../../shared/update/index.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function digests(entries: Record<string, DigestResolution>): Map<string, DigestResolution> {
  return new Map(Object.entries(entries));
}

describe('planUpdates', () => {
  const text = [`ARG BASE=alpine:3.19@${A}`, 'FROM $BASE AS one', 'FROM ${BASE} AS two', `FROM node:20@${A}`, 'FROM redis:7', 'FROM debian', `FROM busybox@${A}`, 'ARG TAG=1', ''].join('\n');
  const sites = extractDockerfile(text, 'Dockerfile');
  const moved = digests({
    'docker.io/library/alpine:3.19': { digest: B, mediaType: 'x' },
    'docker.io/library/node:20': { digest: A, mediaType: 'x' },
    'docker.io/library/redis:7': { digest: B, mediaType: 'x' },
    'docker.io/library/debian:latest': { error: 'manifest docker.io/library/debian:latest: answered HTTP 404' },
  });

  it('bumps moved digests once per edit (an ARG used twice is one update), leaves unmoved and digest-only ones alone', () => {
    const plan = planUpdates(sites, moved, { pin: false });
    expect(plan.updates.map((u) => [u.site.line, u.tag, u.from, u.to])).toEqual([[1, '3.19', A, B]]);
    expect(plan.unresolved).toEqual([]);
  });

  it('with pin, adds digests to tag-only references and lists what could not be resolved', () => {
    const plan = planUpdates(sites, moved, { pin: true });
    expect(plan.updates.map((u) => [u.site.line, u.tag, u.from, u.edit.text])).toEqual([
      [1, '3.19', A, B],
      [5, '7', null, `@${B}`],
    ]);
    expect(plan.unresolved.map((u) => [u.site.line, u.reason])).toEqual([[6, 'manifest docker.io/library/debian:latest: answered HTTP 404']]);
    const edits = plan.updates.map(({ edit }) => ({ ...edit, expected: text.slice(edit.start, edit.end) }));
    expect(applyEdits(Buffer.from(text, 'latin1'), edits, 'Dockerfile').toString('latin1')).toBe(text.replace(`3.19@${A}`, `3.19@${B}`).replace('FROM redis:7', `FROM redis:7@${B}`));
  });

  it('refuses to apply an edit to a file that changed since it was read', () => {
    expect(() => applyEdits(Buffer.from('FROM x:1@sha256:zz\n'), [{ file: 'Dockerfile', start: 9, end: 18, text: B, expected: A }], 'Dockerfile')).toThrow(
      /Dockerfile changed while the update was planned/,
    );
  });
});

describe('rewriteFiles', () => {
  it('replaces only the planned bytes, atomically, keeping the file mode', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, statSync, chmodSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { rewriteFiles } = await import('../../../shared/update/index.js');
    const root = mkdtempSync(path.join(tmpdir(), 'drydock-rewrite-'));
    const text = `# comment é\r\nFROM alpine:3.19@${A} AS base\r\n`;
    writeFileSync(path.join(root, 'Dockerfile'), Buffer.from(text, 'latin1'));
    chmodSync(path.join(root, 'Dockerfile'), 0o640);
    const start = text.indexOf(A);
    expect(await rewriteFiles(root, [{ file: 'Dockerfile', start, end: start + A.length, text: B, expected: A }])).toEqual(['Dockerfile']);
    expect(readFileSync(path.join(root, 'Dockerfile')).toString('latin1')).toBe(text.replace(A, B));
    expect(statSync(path.join(root, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(readdirSync(root)).toEqual(['Dockerfile']);
  });
});
