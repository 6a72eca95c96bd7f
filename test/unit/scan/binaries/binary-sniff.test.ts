import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { walkLayer } from '../../../../shared/image/layer-walker.js';
import { isExecutableFormat } from '../../../../shared/scan/binaries/binary-candidates.js';
import { FILE_REQUESTS } from '../../../../shared/scan/index.js';
import { file, tarLayer } from '../../../harness/tar-layer.js';
import { digest } from '../layers.js';

const GO_BINARY = gunzipSync(readFileSync(new URL('../../../fixtures/scan/go/hello.gz', import.meta.url)));

function chunks(buffer: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) parts.push(buffer.subarray(at, at + size));
  return Readable.from(parts);
}

describe('binary analysers through the walker, decided by the first bytes', () => {
  it('analyses a Go binary in node_modules; scripts, tiny and empty files and hard links to them flow past and are not kept', async () => {
    const layerTar = await tarLayer([
      file('app/node_modules/tool/bin/tool', GO_BINARY, 0o755),
      file('app/node_modules/tool/bin/cli', '#!/usr/bin/env node\nrequire("../index.js");\n', 0o755),
      file('app/node_modules/tool/data', 'plain text\n'.repeat(100)),
      file('app/node_modules/tool/x', 'ab'),
      file('app/node_modules/tool/empty', ''),
      { type: 'hardlink', name: 'app/node_modules/copy/data', target: 'app/node_modules/tool/data' },
      { type: 'hardlink', name: 'app/node_modules/copy/bin/tool', target: 'app/node_modules/tool/bin/tool' },
      // A target no analyser asked for: its link needs the second pass, which turns it down too (no warning).
      file('app/node_modules/tool/notes.txt', 'notes\n'),
      { type: 'hardlink', name: 'app/node_modules/copy/notes', target: 'app/node_modules/tool/notes.txt' },
    ]);
    let reopened = 0;
    // Odd chunk sizes put entry boundaries inside the sniffed bytes.
    for (const size of [5, 511, 65536]) {
      const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest('f'), size: layerTar.length };
      const reopen = async (): Promise<Readable> => {
        reopened++;
        return chunks(layerTar, size);
      };
      const entries = await walkLayer(chunks(layerTar, size), descriptor, [...FILE_REQUESTS], { reopen });
      expect(entries.unresolvedLinks).toEqual([]);
      const analysed = [...entries.files.values()].map((f) => [f.path, f.size, f.content === undefined, (f.analysis as { kind?: string } | undefined)?.kind]);
      expect(analysed.sort()).toEqual([
        ['app/node_modules/copy/bin/tool', GO_BINARY.length, true, 'go'],
        ['app/node_modules/tool/bin/tool', GO_BINARY.length, true, 'go'],
      ]);
    }
    expect(reopened).toBe(3);
  });

  it('calls a file over the size cap oversized only when its first bytes say it is an executable', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(996)]);
    const layerTar = await tarLayer([file('opt/model.bin', Buffer.alloc(1000, 0x41)), file('opt/tool.bin', elf, 0o755), file('opt/small', elf.subarray(0, 50))]);
    const seen: string[] = [];
    const analyze = async (path: string, stream: Readable): Promise<unknown> => {
      for await (const _chunk of stream) void _chunk;
      seen.push(path);
      return { path };
    };
    const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest('e'), size: layerTar.length };
    const entries = await walkLayer(chunks(layerTar, 7), descriptor, [{ match: (path) => path.startsWith('opt/'), sniff: isExecutableFormat, maxFileSize: 100, analyze }]);
    expect(entries.oversized).toEqual([{ path: 'opt/tool.bin', size: 1000 }]);
    expect(seen).toEqual(['opt/small']);
    expect([...entries.files.keys()]).toEqual(['opt/small']);
  });
});
