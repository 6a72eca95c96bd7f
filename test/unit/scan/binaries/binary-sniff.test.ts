import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { walkLayer } from '../../../../shared/image/layer-walker.js';
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
  it('analyses a Go binary in node_modules and lets scripts, tiny and empty files and hard links to them pass unanalysed', async () => {
    const layerTar = await tarLayer([
      file('app/node_modules/tool/bin/tool', GO_BINARY, 0o755),
      file('app/node_modules/tool/bin/cli', '#!/usr/bin/env node\nrequire("../index.js");\n', 0o755),
      file('app/node_modules/tool/LICENSE', 'MIT License\n'.repeat(100)),
      file('app/node_modules/tool/x', 'ab'),
      file('app/node_modules/tool/empty', ''),
      { type: 'hardlink', name: 'app/node_modules/copy/LICENSE', target: 'app/node_modules/tool/LICENSE' },
      { type: 'hardlink', name: 'app/node_modules/copy/bin/tool', target: 'app/node_modules/tool/bin/tool' },
    ]);
    // Odd chunk sizes put entry boundaries inside the sniffed bytes.
    for (const size of [5, 511, 65536]) {
      const entries = await walkLayer(chunks(layerTar, size), { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest('f'), size: layerTar.length }, [...FILE_REQUESTS]);
      expect(entries.unresolvedLinks).toEqual([]);
      const analysed = [...entries.files.values()].map((f) => [f.path, f.size, f.content === undefined, (f.analysis as { kind?: string } | undefined)?.kind]);
      expect(analysed.sort()).toEqual([
        ['app/node_modules/copy/LICENSE', 1200, true, undefined],
        ['app/node_modules/copy/bin/tool', GO_BINARY.length, true, 'go'],
        ['app/node_modules/tool/LICENSE', 1200, true, undefined],
        ['app/node_modules/tool/bin/cli', 44, true, undefined],
        ['app/node_modules/tool/bin/tool', GO_BINARY.length, true, 'go'],
        ['app/node_modules/tool/empty', 0, true, undefined],
        ['app/node_modules/tool/x', 2, true, undefined],
      ]);
    }
  });
});
