import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DrydockError } from '../../../../shared/errors.js';
import { parseRpmdb, rpmCataloger } from '../../../../shared/scan/os-packages/rpm-cataloger.js';
import { parseRpmHeader, parseSourceRpm, rpmVersion } from '../../../../shared/scan/os-packages/rpm-header.js';
import { readBerkeleyRpmdb } from '../../../../shared/scan/os-packages/rpmdb-berkeley.js';
import { readNdbRpmdb } from '../../../../shared/scan/os-packages/rpmdb-ndb.js';
import { readSqliteRpmdb } from '../../../../shared/scan/os-packages/rpmdb-sqlite.js';
import { digest, imageOf } from '../layers.js';

// Made by test/fixtures/scan/rpm/make-fixtures.sh with Debian's rpm 4.18: three rpms built with
// rpmbuild, installed with --justdb, a gpg key imported; Packages holds the same headers in a
// BerkeleyDB hash file that rpm's bdb_ro backend lists identically (rpm-qa.txt).
const fixture = (name: string): Buffer => gunzipSync(readFileSync(new URL(`../../../fixtures/scan/rpm/${name}`, import.meta.url)));
const SQLITE = fixture('rpmdb.sqlite.gz');
const BERKELEY = fixture('Packages.gz');
const RPM_QA = readFileSync(new URL('../../../fixtures/scan/rpm/rpm-qa.txt', import.meta.url), 'utf8').trim().split('\n');

/** `rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}'` of parsed blobs. */
function asRpmQa(blobs: Uint8Array[]): string[] {
  return blobs
    .map((blob) => parseRpmHeader(blob))
    .map((h) => `${h.name} ${h.epoch ?? 0}:${h.version}-${h.release} ${h.arch ?? '(none)'} ${h.sourceRpm ?? '(none)'}`)
    .sort();
}

/** An NDB Packages.db laid out as rpm's rpmpkg.c writes it: header, one slot page, blobs in 16-byte blocks. */
function buildNdb(blobs: Uint8Array[]): Buffer {
  const slotPage = Buffer.alloc(4096);
  slotPage.writeUInt32LE(0x506d7052, 0); // RpmP
  slotPage.writeUInt32LE(0, 4); // version
  slotPage.writeUInt32LE(7, 8); // generation
  slotPage.writeUInt32LE(1, 12); // slot pages
  slotPage.writeUInt32LE(blobs.length + 1, 16); // next package index
  const parts: Buffer[] = [slotPage];
  let block = 4096 / 16;
  for (let slot = 2; slot < 256; slot++) slotPage.writeUInt32LE(0x746f6c53, slot * 16); // Slot, empty
  blobs.forEach((blob, i) => {
    const pkgIndex = i + 1;
    const total = 16 + blob.length + 12; // blob header, blob, tail
    const blocks = Math.ceil(total / 16);
    const area = Buffer.alloc(blocks * 16);
    area.writeUInt32LE(0x53626c42, 0); // BlbS
    area.writeUInt32LE(pkgIndex, 4);
    area.writeUInt32LE(7, 8);
    area.writeUInt32LE(blob.length, 12);
    Buffer.from(blob).copy(area, 16);
    const slotAt = (2 + i * 2) * 16; // leave a free slot between used ones
    slotPage.writeUInt32LE(pkgIndex, slotAt + 4);
    slotPage.writeUInt32LE(block, slotAt + 8);
    slotPage.writeUInt32LE(blocks, slotAt + 12);
    parts.push(area);
    block += blocks;
  });
  return Buffer.concat(parts);
}

describe('rpm databases', () => {
  it('reads the sqlite database as rpm -qa lists it', async () => {
    expect(asRpmQa(await readSqliteRpmdb(SQLITE))).toEqual(RPM_QA);
  });

  it('reads the BerkeleyDB hash database (overflow pages, key 0 skipped) as rpm -qa lists it', () => {
    expect(asRpmQa(readBerkeleyRpmdb(BERKELEY))).toEqual(RPM_QA);
  });

  it('reads an NDB database built to rpm layout', async () => {
    const ndb = buildNdb(await readSqliteRpmdb(SQLITE));
    expect(asRpmQa(readNdbRpmdb(ndb))).toEqual(RPM_QA);
  });

  it('rejects files of the wrong kind and damaged ones', async () => {
    await expect(readSqliteRpmdb(BERKELEY)).rejects.toThrow('rpmdb.sqlite: file is not a database');
    await expect(readSqliteRpmdb(SQLITE.subarray(0, 4096 * 2))).rejects.toThrow(/^rpmdb\.sqlite: /);
    expect(() => readBerkeleyRpmdb(SQLITE)).toThrow('not a BerkeleyDB hash database');
    expect(() => readBerkeleyRpmdb(BERKELEY.subarray(0, 2048))).toThrow(/claims \d+ pages of 1024 bytes but the file has 2048 bytes/);
    expect(() => readNdbRpmdb(SQLITE)).toThrow('not an rpm NDB database');
    const ndb = buildNdb(await readSqliteRpmdb(SQLITE));
    ndb.writeUInt32LE(0xdeadbeef, 4096); // first blob's magic
    expect(() => readNdbRpmdb(ndb)).toThrow('package 1 blob has a bad magic');
  });
});

describe('parseRpmHeader', () => {
  it('rejects truncated headers and out-of-store offsets', async () => {
    const [blob] = await readSqliteRpmdb(SQLITE);
    expect(() => parseRpmHeader(blob!.subarray(0, 6))).toThrow('rpm header of 6 bytes is truncated');
    expect(() => parseRpmHeader(blob!.subarray(0, blob!.length - 1))).toThrow(/rpm header needs \d+ bytes, blob has \d+/);
  });

  it('prints versions and source rpms as dnf does', () => {
    expect(rpmVersion(0, '3.0.7', '25.el9')).toBe('3.0.7-25.el9');
    expect(rpmVersion(1, '3.0.7', '25.el9')).toBe('1:3.0.7-25.el9');
    expect(parseSourceRpm('openssl-3.0.7-25.el9.src.rpm')).toEqual({ name: 'openssl', version: '3.0.7', release: '25.el9' });
    expect(parseSourceRpm('python3-pip-21.3.1-1.el9.nosrc.rpm')).toEqual({ name: 'python3-pip', version: '21.3.1', release: '1.el9' });
    expect(parseSourceRpm('(none)')).toBeUndefined();
  });
});

describe('rpmCataloger', () => {
  it('lists the packages (not gpg-pubkey) with EVR, source rpm, purl and layer', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'usr/lib/sysimage/rpm/rpmdb.sqlite': SQLITE }, symlinks: { 'var/lib/rpm': '../../usr/lib/sysimage/rpm' } },
    );
    const result = await rpmCataloger.catalog(fs, { id: 'almalinux', versionId: '9.3' });
    expect(result.warnings).toEqual([]);
    const byName = [...result.packages].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName).toEqual([
      {
        name: 'hello',
        version: '2:2.12.1-3.el9',
        type: 'rpm',
        purl: 'pkg:rpm/almalinux/hello@2.12.1-3.el9?arch=x86_64&distro=almalinux-9.3&epoch=2',
        source: { name: 'hello', version: '2:2.12.1-3.el9' },
        layerDigest: digest('1'),
        locations: ['usr/lib/sysimage/rpm/rpmdb.sqlite'],
        epoch: 2,
        metadata: { arch: 'x86_64', license: 'GPL-3.0-or-later', sourceRpm: 'hello-2.12.1-3.el9.src.rpm' },
      },
      {
        name: 'hello-libs',
        version: '2:2.12.1-3.el9',
        type: 'rpm',
        purl: 'pkg:rpm/almalinux/hello-libs@2.12.1-3.el9?arch=x86_64&distro=almalinux-9.3&epoch=2',
        source: { name: 'hello', version: '2:2.12.1-3.el9' },
        layerDigest: digest('1'),
        locations: ['usr/lib/sysimage/rpm/rpmdb.sqlite'],
        epoch: 2,
        metadata: { arch: 'x86_64', license: 'LGPL-2.1-or-later', sourceRpm: 'hello-2.12.1-3.el9.src.rpm' },
      },
      {
        name: 'tinytool',
        version: '1.0~rc1-7.fc39',
        type: 'rpm',
        purl: 'pkg:rpm/almalinux/tinytool@1.0~rc1-7.fc39?arch=noarch&distro=almalinux-9.3',
        source: { name: 'tinytool', version: '1.0~rc1-7.fc39' },
        layerDigest: digest('1'),
        locations: ['usr/lib/sysimage/rpm/rpmdb.sqlite'],
        epoch: 0,
        metadata: { arch: 'noarch', license: 'MIT', sourceRpm: 'tinytool-1.0~rc1-7.fc39.src.rpm' },
      },
    ]);
  });

  it('attributes packages added in a later copy of an NDB Packages.db to that layer', async () => {
    const blobs = readBerkeleyRpmdb(BERKELEY);
    const lower = (await parseRpmdb(buildNdb(blobs), readNdbRpmdb)).map((h) => h.name).sort();
    expect(lower).toEqual(['hello', 'hello-libs', 'tinytool']);
    const onlyTinytool = blobs.filter((b) => parseRpmHeader(b).name === 'tinytool');
    const fs = imageOf(
      { digest: digest('1'), files: { 'var/lib/rpm/Packages.db': buildNdb(onlyTinytool) } },
      { digest: digest('2'), files: { 'var/lib/rpm/Packages.db': buildNdb(blobs) } },
    );
    const { packages } = await rpmCataloger.catalog(fs, { id: 'opensuse-leap', versionId: '15.5' });
    expect(packages.map((p) => [p.name, p.layerDigest]).sort()).toEqual([
      ['hello', digest('2')],
      ['hello-libs', digest('2')],
      ['tinytool', digest('1')],
    ]);
  });

  it('fails closed on a corrupt database, naming file and layer', async () => {
    const fs = imageOf({ digest: digest('9'), files: { 'var/lib/rpm/Packages': BERKELEY.subarray(0, 4096) } });
    const error = await rpmCataloger.catalog(fs, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect(error).toMatchObject({ code: 'INPUT_INVALID' });
    expect((error as Error).message).toMatch(new RegExp(`^cannot parse package database var/lib/rpm/Packages in layer ${digest('9')}: database claims`));
  });
});
