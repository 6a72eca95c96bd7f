import { DrydockError } from '../../../../shared/errors.js';
import { apkCataloger } from '../../../../shared/scan/os-packages/apk-cataloger.js';
import { parseApkInstalled } from '../../../../shared/scan/os-packages/apk-installed.js';
import { digest, imageOf } from '../layers.js';

// Modelled on alpine:3.19's lib/apk/db/installed (checksums shortened, file lists trimmed).
const MUSL = `C:Q1yB3DNLKRHGyUmx0gVQYbS+k4ev0=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407930
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1701257219
c:a4cc4ecdcaa1bad9ab0a2e6c8d38f8f10d27f65c
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1zvDyzMhsPxw2yZNzL1Un7rjTjTs=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=
`;

const BUSYBOX = `C:Q1Wfq8qX1mTY6jVGN13l87kkPSQ4o=
P:busybox
V:1.36.1-r15
A:x86_64
S:509634
I:950272
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1701281436
c:0b4a5a29be3d7bd1b9c0b0a6c1cf8e4ba3a4a5c3
D:so:libc.musl-x86_64.so.1
F:bin
R:busybox
a:0:0:755
Z:Q1GnZ4xhXyEHRb6pTGrD3qn7JMhhw=
`;

const SSL_CLIENT = `C:Q1KjQPH0EaJMjYu3N8ZgVJi7MbK8s=
P:ssl_client
V:1.36.1-r15
A:x86_64
L:GPL-2.0-only
o:busybox
F:usr/bin
R:ssl_client
`;

describe('parseApkInstalled', () => {
  it('reads name, version, arch, origin and license of each record', () => {
    expect(parseApkInstalled(`${MUSL}\n${BUSYBOX}\n${SSL_CLIENT}\n`)).toEqual([
      { name: 'musl', version: '1.2.4_git20230717-r4', architecture: 'x86_64', origin: 'musl', license: 'MIT' },
      { name: 'busybox', version: '1.36.1-r15', architecture: 'x86_64', origin: 'busybox', license: 'GPL-2.0-only' },
      { name: 'ssl_client', version: '1.36.1-r15', architecture: 'x86_64', origin: 'busybox', license: 'GPL-2.0-only' },
    ]);
  });

  it.each([
    ['P:musl\nV:1\nnot a field\n', /line 3: expected "X:value"/],
    ['V:1\nA:x86_64\n', /record at line 1 has no P:/],
    ['P:musl\nA:x86_64\n', /package musl has no V:/],
  ])('rejects a corrupt database %#', (text, message) => {
    expect(() => parseApkInstalled(text)).toThrow(message);
  });
});

describe('apkCataloger', () => {
  it('lists packages with origin as source, Alpine purls and introducing layers', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'lib/apk/db/installed': `${MUSL}\n${BUSYBOX}\n` } },
      { digest: digest('2'), files: { 'lib/apk/db/installed': `${MUSL}\n${BUSYBOX}\n${SSL_CLIENT}\n` } },
    );
    const result = await apkCataloger.catalog(fs, { id: 'alpine', versionId: '3.19.1' });
    expect(result).toEqual({
      warnings: [],
      packages: [
        {
          name: 'musl',
          version: '1.2.4_git20230717-r4',
          type: 'apk',
          purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1',
          source: { name: 'musl', version: '1.2.4_git20230717-r4' },
          layerDigest: digest('1'),
          locations: ['lib/apk/db/installed'],
          metadata: { arch: 'x86_64', license: 'MIT' },
        },
        {
          name: 'busybox',
          version: '1.36.1-r15',
          type: 'apk',
          purl: 'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1',
          source: { name: 'busybox', version: '1.36.1-r15' },
          layerDigest: digest('1'),
          locations: ['lib/apk/db/installed'],
          metadata: { arch: 'x86_64', license: 'GPL-2.0-only' },
        },
        {
          name: 'ssl_client',
          version: '1.36.1-r15',
          type: 'apk',
          purl: 'pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1',
          source: { name: 'busybox', version: '1.36.1-r15' },
          layerDigest: digest('2'),
          locations: ['lib/apk/db/installed'],
          metadata: { arch: 'x86_64', license: 'GPL-2.0-only' },
        },
      ],
    });
  });

  it('fails closed on a corrupt database', async () => {
    const fs = imageOf({ digest: digest('1'), files: { 'lib/apk/db/installed': 'P:musl\n\u0000\u0001binary' } });
    await expect(apkCataloger.catalog(fs, undefined)).rejects.toThrow(DrydockError);
    await expect(apkCataloger.catalog(fs, undefined)).rejects.toThrow(`cannot parse package database lib/apk/db/installed in layer ${digest('1')}: line 2`);
  });
});
