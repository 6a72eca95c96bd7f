import { manifestArtifact, parseManifest, readJavaArchive } from '../../../../shared/scan/language-packages/java-archive.js';
import { javaCataloger } from '../../../../shared/scan/language-packages/java-cataloger.js';
import { makeZip } from '../../../harness/zip.js';
import { digest, imageOf } from '../layers.js';

// The main section of the JDK's lib/jrt-fs.jar as Debian's openjdk-17-jre-headless 17.0.15+6-1~deb12u1 ships it
// (unzip -p /usr/lib/jvm/java-17-openjdk-amd64/lib/jrt-fs.jar META-INF/MANIFEST.MF): display titles, no coordinates.
const JRT_FS_MANIFEST = [
  'Manifest-Version: 1.0',
  'Specification-Title: Java Platform API Specification',
  'Specification-Version: 17',
  'Specification-Vendor: Oracle Corporation',
  'Implementation-Title: Java Runtime Environment',
  'Implementation-Version: 17.0.15',
  'Implementation-Vendor: Debian',
  'Created-By: 17.0.15 (Debian)',
  '',
  '',
].join('\r\n');

const manifest = (fields: Record<string, string>): Map<string, string> =>
  parseManifest(`Manifest-Version: 1.0\r\n${Object.entries(fields).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);

describe('java manifest fallback', () => {
  it('gives no package for a manifest with display titles only, and says why', () => {
    expect(manifestArtifact(parseManifest(JRT_FS_MANIFEST), 'usr/lib/jvm/java-17-openjdk-amd64/lib/jrt-fs.jar')).toEqual({
      note: 'usr/lib/jvm/java-17-openjdk-amd64/lib/jrt-fs.jar: no pom.properties, and its manifest gives no Maven coordinates (Implementation-Title "Java Runtime Environment"); not cataloged',
    });
  });

  it('takes a groupId-like vendor id with an artifact-id title, or a dotted Bundle-SymbolicName', () => {
    const at = 'opt/app/lib/x.jar';
    expect(manifestArtifact(manifest({ 'Implementation-Title': 'commons-text', 'Implementation-Version': '1.10.0', 'Implementation-Vendor-Id': 'org.apache.commons' }), at)).toEqual({
      artifact: { groupId: 'org.apache.commons', artifactId: 'commons-text', version: '1.10.0', location: at, evidence: 'MANIFEST.MF' },
    });
    expect(manifestArtifact(manifest({ 'Bundle-SymbolicName': 'com.fasterxml.jackson.core.jackson-databind;singleton:=true', 'Bundle-Version': '2.14.0' }), at)).toEqual({
      artifact: { artifactId: 'com.fasterxml.jackson.core.jackson-databind', version: '2.14.0', location: at, evidence: 'MANIFEST.MF' },
    });
    // A title without a vendor id, a vendor id that is a company name, an undotted symbolic name: no coordinates.
    const none: Array<Record<string, string>> = [
      { 'Implementation-Title': 'commons-text', 'Implementation-Version': '1.10.0' },
      { 'Implementation-Title': 'commons-text', 'Implementation-Version': '1.10.0', 'Implementation-Vendor-Id': 'The Apache Software Foundation' },
      { 'Implementation-Title': 'Apache Commons Text', 'Implementation-Version': '1.10.0', 'Implementation-Vendor-Id': 'org.apache.commons' },
      { 'Bundle-SymbolicName': 'bundle', 'Bundle-Version': '1.0.0' },
    ];
    expect(none.map((fields) => 'note' in manifestArtifact(manifest(fields), at))).toEqual([true, true, true, true]);
  });

  it('catalogs no package for a jar with jrt-fs.jar manifest and reports a debug note, not a warning', async () => {
    const jar = await makeZip({ 'META-INF/MANIFEST.MF': JRT_FS_MANIFEST, 'jdk/internal/jrtfs/JrtFileSystem.class': Buffer.from([0xca, 0xfe, 0xba, 0xbe]) });
    const path = 'usr/lib/jvm/java-17-openjdk-amd64/lib/jrt-fs.jar';
    const reading = await readJavaArchive(jar, path);
    expect(reading.artifacts).toEqual([]);
    const fs = imageOf({ digest: digest('a'), files: { [path]: { analysis: { kind: 'java', ...reading } } } });
    const result = await javaCataloger.catalog(fs, undefined);
    expect(result.packages).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.notes).toEqual([
      `${path}: no pom.properties, and its manifest gives no Maven coordinates (Implementation-Title "Java Runtime Environment"); not cataloged (layer ${digest('a')})`,
    ]);
  });
});
