import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { digestOf } from '../../../shared/image/digest.js';
import { ImageFilesystem } from '../../../shared/image/image-filesystem.js';
import { walkLayer, type LayerEntries, type LayerFile } from '../../../shared/image/layer-walker.js';
import { MediaType } from '../../../shared/image/media-types.js';

// Layers described directly, as the walker would return them.
let counter = 0;
function layer(spec: {
  files?: Record<string, string>;
  symlinks?: Record<string, string>;
  whiteouts?: string[];
  opaqueDirs?: string[];
}): LayerEntries {
  const files = new Map<string, LayerFile>();
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    files.set(path, { path, size: Buffer.byteLength(content), mode: 0o644, content: Buffer.from(content) });
  }
  return {
    layerDigest: digestOf(`layer ${++counter}`),
    files,
    symlinks: new Map(Object.entries(spec.symlinks ?? {})),
    whiteouts: spec.whiteouts ?? [],
    opaqueDirs: spec.opaqueDirs ?? [],
    oversized: [],
    unresolvedLinks: [],
    stats: { entries: 0, uncompressedBytes: 0, hostile: 0, compression: 'none' },
  };
}

const read = (fs: ImageFilesystem, path: string): string | undefined => fs.file(path)?.content?.toString('utf8');

describe('ImageFilesystem merges layers bottom to top', () => {
  it('lets a later file replace an earlier one and says which layer it came from', () => {
    const base = layer({ files: { 'etc/os-release': 'ID=debian\nVERSION_ID=11\n', 'etc/hostname': 'a\n' } });
    const top = layer({ files: { 'etc/os-release': 'ID=debian\nVERSION_ID=12\n' } });
    const fs = ImageFilesystem.fromLayers([base, top]);
    expect(read(fs, 'etc/os-release')).toBe('ID=debian\nVERSION_ID=12\n');
    expect(fs.file('etc/os-release')?.layerDigest).toBe(top.layerDigest);
    expect(fs.file('/etc/hostname')?.layerDigest).toBe(base.layerDigest);
    expect(fs.files().map((f) => `${f.path}@${f.layerDigest === top.layerDigest ? 'top' : 'base'}`)).toEqual([
      'etc/hostname@base',
      'etc/os-release@top',
    ]);
  });

  it('applies a whiteout to the path and everything under it in lower layers only', () => {
    const base = layer({ files: { 'etc/passwd': 'root\n', 'opt/app/a.json': '{}', 'opt/app/sub/b.json': '{}', 'opt/keep': 'k' } });
    const top = layer({ whiteouts: ['etc/passwd', 'opt/app'], files: { 'opt/app/new.json': '{"new":1}' } });
    const fs = ImageFilesystem.fromLayers([base, top]);
    expect(fs.file('etc/passwd')).toBeUndefined();
    expect(fs.files().map((f) => f.path)).toEqual(['opt/app/new.json', 'opt/keep']);
    expect(read(fs, 'opt/app/new.json')).toBe('{"new":1}'); // same-layer whiteout does not delete the layer's own file
  });

  it('hides lower contents of an opaque dir but keeps the layer’s own', () => {
    const base = layer({ files: { 'usr/share/doc/a': 'a', 'usr/share/doc/x/b': 'b', 'usr/share/other': 'o' } });
    const top = layer({ opaqueDirs: ['usr/share/doc'], files: { 'usr/share/doc/c': 'c' } });
    const fs = ImageFilesystem.fromLayers([base, top]);
    expect(fs.files().map((f) => f.path)).toEqual(['usr/share/doc/c', 'usr/share/other']);
  });

  it('replaces a lower directory with a file, and a lower file with a directory', () => {
    const base = layer({ files: { 'opt/tool/bin': 'bin', 'srv': 'file' } });
    const top = layer({ files: { 'opt/tool': 'now a file', 'srv/index.html': '<html>' } });
    const fs = ImageFilesystem.fromLayers([base, top]);
    expect(fs.files().map((f) => f.path)).toEqual(['opt/tool', 'srv/index.html']);
  });

  it('filters files with a match function', () => {
    const fs = ImageFilesystem.fromLayers([
      layer({ files: { 'app/node_modules/a/package.json': '{}', 'app/package.json': '{}', 'etc/x': '' } }),
    ]);
    expect(fs.files((p) => p.endsWith('/package.json')).map((f) => f.path)).toEqual(['app/node_modules/a/package.json', 'app/package.json']);
  });

  it('tells the history of a path, with null where a layer deleted it', () => {
    const l1 = layer({ files: { 'var/lib/dpkg/status': 'Package: a\n' } });
    const l2 = layer({ files: { 'etc/other': '' } });
    const l3 = layer({ files: { 'var/lib/dpkg/status': 'Package: a\n\nPackage: b\n' } });
    const l4 = layer({ whiteouts: ['var/lib/dpkg'] });
    const l5 = layer({ files: { 'var/lib/dpkg/status': 'Package: c\n' } });
    const fs = ImageFilesystem.fromLayers([l1, l2, l3, l4, l5]);
    expect(fs.history('var/lib/dpkg/status').map((h) => [h.layerDigest, h.file?.content?.toString() ?? null])).toEqual([
      [l1.layerDigest, 'Package: a\n'],
      [l3.layerDigest, 'Package: a\n\nPackage: b\n'],
      [l4.layerDigest, null],
      [l5.layerDigest, 'Package: c\n'],
    ]);
    expect(fs.history('nope')).toEqual([]);
  });
});

describe('ImageFilesystem follows symlinks inside the image only', () => {
  const fs = ImageFilesystem.fromLayers([
    layer({
      files: {
        'usr/lib/os-release': 'ID=debian\n',
        'usr/bin/python3.11': 'ELF',
        'host/etc/passwd': 'image copy of host/etc/passwd\n',
        'etc/passwd': 'root:x:0:0\n',
        'opt/real/lib/version': '1.2.3',
      },
      symlinks: {
        'etc/os-release': '../usr/lib/os-release',
        'bin': 'usr/bin',
        'usr/bin/python3': '/usr/bin/python3.11',
        'etc/evil': '../../../../host/etc',
        'etc/abs-escape': '/../../../etc/passwd',
        'opt/current': 'real',
        'opt/link-to-link': 'current/lib',
        'loop/a': 'b',
        'loop/b': 'a',
        'self': 'self',
        'dangling': 'nowhere/file',
      },
    }),
  ]);

  it('resolves relative and absolute targets, and symlinked parent directories', () => {
    expect(read(fs, 'etc/os-release')).toBe('ID=debian\n');
    expect(fs.file('etc/os-release')?.path).toBe('usr/lib/os-release');
    expect(read(fs, 'bin/python3')).toBe('ELF'); // parent symlink, then an absolute link
    expect(read(fs, 'opt/link-to-link/version')).toBe('1.2.3');
  });

  it('clamps ".." at the image root: a link climbing out lands back inside the image', () => {
    expect(read(fs, 'etc/evil/passwd')).toBe('image copy of host/etc/passwd\n');
    expect(fs.file('etc/evil/passwd')?.path).toBe('host/etc/passwd');
    expect(read(fs, 'etc/abs-escape')).toBe('root:x:0:0\n');
    expect(read(fs, '../../../etc/passwd')).toBe('root:x:0:0\n');
    expect(fs.file('etc/evil/shadow')).toBeUndefined(); // the host has one; the image does not
  });

  it('gives up on loops and dangling links', () => {
    expect(fs.file('loop/a')).toBeUndefined();
    expect(fs.file('self/x')).toBeUndefined();
    expect(fs.file('dangling')).toBeUndefined();
    expect(fs.file('bin')).toBeUndefined(); // a directory, not a file
  });

  it('follows exactly 40 links and no more', () => {
    const symlinks: Record<string, string> = {};
    for (let i = 0; i < 41; i++) symlinks[`l${i}`] = `l${i + 1}`;
    const chain = (n: number): ImageFilesystem => {
      const links = Object.fromEntries(Object.entries(symlinks).slice(0, n));
      return ImageFilesystem.fromLayers([layer({ symlinks: links, files: { [`l${n}`]: 'end' } })]);
    };
    expect(read(chain(40), 'l0')).toBe('end');
    expect(chain(41).file('l0')).toBeUndefined();
  });

  it('sees a symlink removed by a whiteout in an upper layer', () => {
    const withWhiteout = ImageFilesystem.fromLayers([
      layer({ files: { 'usr/lib/os-release': 'x' }, symlinks: { 'etc/os-release': '../usr/lib/os-release' } }),
      layer({ whiteouts: ['etc/os-release'] }),
    ]);
    expect(withWhiteout.file('etc/os-release')).toBeUndefined();
    expect(read(withWhiteout, 'usr/lib/os-release')).toBe('x');
  });
});

describe('ImageFilesystem over walked layers', () => {
  async function tarGz(entries: Array<[string, string] | [string, 'symlink', string]>, compress: (b: Buffer) => Buffer = (b) => gzipSync(b)): Promise<Buffer> {
    const pack = tar.pack();
    for (const e of entries) {
      if (e.length === 2) pack.entry({ name: e[0] }, e[1]);
      else pack.entry({ name: e[0], type: 'symlink', linkname: e[2] });
    }
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return compress(Buffer.concat(chunks));
  }
  const walk = (blob: Buffer): Promise<LayerEntries> =>
    walkLayer(Readable.from([blob]), { mediaType: MediaType.ociLayerGzip, digest: digestOf(blob), size: blob.length }, [
      { match: (p) => p.startsWith('etc/') || p.startsWith('app/') || p.startsWith('host/'), maxFileSize: 4096 },
    ]);

  it('applies real whiteout and opaque entries across gzip and zstd layers', async () => {
    const base = await walk(
      await tarGz([
        ['etc/passwd', 'root\n'],
        ['etc/group', 'root\n'],
        ['app/old/a.js', 'old'],
        ['app/keep.js', 'keep'],
      ]),
    );
    const top = await walk(
      await tarGz(
        [
          ['etc/.wh.group', ''],
          ['app/old/.wh..wh..opq', ''],
          ['app/old/b.js', 'new'],
          ['../../etc/passwd', 'hostile'],
          ['etc/evil', 'symlink', '../../../../host/etc'],
        ],
        (b) => zstdCompressSync(b),
      ),
    );
    const fs = ImageFilesystem.fromLayers([base, top]);
    expect(fs.files().map((f) => `${f.path}=${f.content?.toString()}`)).toEqual(['app/keep.js=keep', 'app/old/b.js=new', 'etc/passwd=root\n']);
    expect(fs.file('etc/evil/passwd')).toBeUndefined();
    expect(top.stats.hostile).toBe(1);
  });
});
