#!/usr/bin/env node
/**
 * Builds the embedded sample the demo scans: shared/sample/sample-image.tar, an OCI archive of a
 * small image assembled from real package metadata (Debian 12.0 "bookworm" as released in June
 * 2023, an npm app with lodash 4.17.20, a Python app with Jinja2 3.1.2, a Go 1.19.8 binary), and
 * shared/sample/osv/, the OSV records the demo matches against (copied from test/fixtures/vuln).
 * It is metadata only, not a runnable image. Deterministic: fixed mtimes, sorted entries.
 * Run: node scripts/make-sample.mjs
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'shared/sample');
const MTIME = new Date('2023-06-10T00:00:00Z');

// Debian 12.0 release versions: [package, version, source, source version (when it differs)].
const DEBIAN = [
  ['base-files', '12.4', 'base-files'],
  ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2'],
  ['ca-certificates', '20230311', 'ca-certificates'],
  ['coreutils', '9.1-1', 'coreutils'],
  ['dpkg', '1.21.22', 'dpkg'],
  ['gzip', '1.12-1', 'gzip'],
  ['libc-bin', '2.36-9', 'glibc'],
  ['libc6', '2.36-9', 'glibc'],
  ['libssl3', '3.0.9-1', 'openssl'],
  ['openssl', '3.0.9-1', 'openssl'],
  ['tar', '1.34+dfsg-1.2', 'tar'],
  ['zlib1g', '1:1.2.13.dfsg-1', 'zlib'],
];

function dpkgStatus() {
  return DEBIAN.map(([name, version, source, sourceVersion]) =>
    [
      `Package: ${name}`,
      'Status: install ok installed',
      'Priority: required',
      'Architecture: amd64',
      `Source: ${source === name ? name : source}${sourceVersion ? ` (${sourceVersion})` : ''}`,
      `Version: ${version}`,
      `Description: ${name} (sample)`,
      '',
    ].join('\n'),
  ).join('\n');
}

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

async function tarOf(entries) {
  const pack = tar.pack();
  const chunks = [];
  pack.on('data', (chunk) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const [name, content, mode = 0o644] of entries) {
    await new Promise((resolve, reject) =>
      pack.entry({ name, mode, mtime: MTIME, uid: 0, gid: 0 }, content, (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha256 = (data) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function main() {
  const goBinary = gunzipSync(readFileSync(path.join(ROOT, 'test/fixtures/scan/go/hello.gz')));
  const layers = [
    {
      createdBy: 'ADD rootfs.tar.xz / # debian:12.0',
      entries: [
        ['etc/debian_version', '12.0\n'],
        ['etc/os-release', OS_RELEASE],
        ['var/lib/dpkg/status', dpkgStatus()],
      ],
    },
    {
      createdBy: 'COPY app/ /srv/app/ # npm ci',
      entries: [
        ['srv/app/package.json', JSON.stringify({ name: 'sample-app', version: '1.0.0', dependencies: { lodash: '4.17.20' } }, null, 2)],
        ['srv/app/node_modules/lodash/package.json', JSON.stringify({ name: 'lodash', version: '4.17.20', license: 'MIT' }, null, 2)],
      ],
    },
    {
      createdBy: 'RUN pip install jinja2==3.1.2',
      entries: [['usr/local/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA', 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\nSummary: A very fast and expressive template engine.\n']],
    },
    { createdBy: 'COPY hello /usr/local/bin/hello', entries: [['usr/local/bin/hello', goBinary, 0o755]] },
  ];
  const blobs = new Map();
  const descriptors = [];
  const diffIds = [];
  for (const layer of layers) {
    const plain = await tarOf(layer.entries);
    const blob = gzipSync(plain, { level: 9 });
    blobs.set(sha256(blob), blob);
    diffIds.push(sha256(plain));
    descriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(blob), size: blob.length });
  }
  const config = Buffer.from(
    JSON.stringify({
      created: MTIME.toISOString(),
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.title': 'drydock sample', 'org.opencontainers.image.description': 'metadata-only sample for the demo' } },
      rootfs: { type: 'layers', diff_ids: diffIds },
      // As a real build records it: the base image's own closing CMD after its layer, and the
      // image's CMD last; both metadata-only. Reports tell base-image layers apart by this.
      history: [
        ...layers.flatMap((layer, index) => [
          { created: MTIME.toISOString(), created_by: layer.createdBy },
          ...(index === 0 ? [{ created: MTIME.toISOString(), created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true }] : []),
        ]),
        { created: MTIME.toISOString(), created_by: 'CMD ["/usr/local/bin/hello"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      ],
    }),
  );
  blobs.set(sha256(config), config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: descriptors,
      annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:12.0' },
    }),
  );
  blobs.set(sha256(manifest), manifest);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(manifest),
        size: manifest.length,
        annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        platform: { architecture: 'amd64', os: 'linux' },
      },
    ],
  });
  const archive = await tarOf([
    ['oci-layout', '{"imageLayoutVersion":"1.0.0"}'],
    ['index.json', index],
    ...[...blobs].sort(([a], [b]) => a.localeCompare(b)).map(([digest, data]) => [`blobs/sha256/${digest.slice(7)}`, data]),
  ]);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'sample-image.tar'), archive);
  rmSync(path.join(OUT, 'osv'), { recursive: true, force: true });
  for (const ecosystem of ['Debian', 'npm', 'PyPI', 'Go']) {
    cpSync(path.join(ROOT, 'test/fixtures/vuln/osv', ecosystem), path.join(OUT, 'osv', ecosystem), { recursive: true });
  }
  // Go's own record (GO-2024-2687) carries no severity; its GHSA alias beside it rates the finding, as the OSV export would.
  cpSync(path.join(ROOT, 'test/fixtures/vuln/osv-aliases/Go/GHSA-4v7x-pqxf-cx7m.json'), path.join(OUT, 'osv', 'Go', 'GHSA-4v7x-pqxf-cx7m.json'));
  console.log(`wrote shared/sample/sample-image.tar (${archive.length} bytes, manifest ${sha256(manifest)}) and shared/sample/osv/`);
}

await main();
