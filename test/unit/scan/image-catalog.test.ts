import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openImageSource } from '../../../shared/image/open-source.js';
import { resolveReference } from '../../../shared/image/resolve.js';
import type { Cataloger } from '../../../shared/scan/cataloger.js';
import { dpkgCataloger } from '../../../shared/scan/os-packages/dpkg-cataloger.js';
import { catalogImage } from '../../../shared/scan/image-catalog.js';
import { buildImage, file, writeOciLayout } from '../../harness/image-builder.js';

const STATUS = 'Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\nArchitecture: amd64\n\n';

async function catalogWith(catalogers: Cataloger[], layers: Parameters<typeof buildImage>[0]['layers']) {
  const dir = mkdtempSync(path.join(tmpdir(), 'drydock-catalog-'));
  await writeOciLayout(dir, [{ image: await buildImage({ layers }), tag: 'v1' }]);
  const source = await openImageSource(`oci:${dir}:v1`);
  try {
    const { images } = await resolveReference(source, 'all');
    return await catalogImage(source, images[0]!, { catalogers, requests: catalogers.flatMap((c) => c.requests) });
  } finally {
    await source.close();
  }
}

describe('catalogImage', () => {
  it('lists packages with the layer that brought them', async () => {
    const result = await catalogWith([dpkgCataloger], [[file('etc/os-release', 'ID=debian\n')], [file('var/lib/dpkg/status', STATUS)]]);
    expect(result.packages.map((p) => [p.name, p.version, p.source?.name])).toEqual([['zlib1g', '1:1.2.13.dfsg-1', 'zlib']]);
    expect(result.warnings).toEqual([]);
  });

  it('fails closed when a package database is over its size cap', async () => {
    const tiny: Cataloger = { ...dpkgCataloger, requests: dpkgCataloger.requests.map((r) => ({ ...r, maxFileSize: 16 })) };
    await expect(catalogWith([tiny], [[file('var/lib/dpkg/status', STATUS)]])).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/package database var\/lib\/dpkg\/status in layer sha256:\w+ is \d+ bytes, over the 16-byte cap/),
    });
  });

  it('warns, without failing, about an oversized language manifest', async () => {
    const tinyNpm: Cataloger = {
      name: 'npm-tiny',
      requests: [{ match: (p) => p.endsWith('package.json'), maxFileSize: 8 }],
      catalog: async () => ({ packages: [], warnings: [] }),
    };
    const result = await catalogWith([tinyNpm], [[file('app/node_modules/x/package.json', '{"name":"x","version":"1.0.0"}')]]);
    expect(result.warnings).toEqual([expect.stringMatching(/^app\/node_modules\/x\/package\.json in layer sha256:\w+ is 30 bytes, over the size cap: not read$/)]);
  });
});
