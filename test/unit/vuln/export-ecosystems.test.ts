import type { OsInfo, Package, PackageType } from '../../../shared/scan/package.js';
import { isUnsupported, osvTargetFor } from '../../../shared/vuln/ecosystems.js';
import { EXPORT_ECOSYSTEMS } from '../../../shared/vuln/export-ecosystems.js';
import { baseEcosystem } from '../../../shared/vuln/source.js';

const pkg = (type: PackageType, name: string, purl: string): Package => ({ name, version: '1.2.3', type, purl, layerDigest: 'sha256:0', locations: [] });

describe('EXPORT_ECOSYSTEMS (what db fetch downloads by default)', () => {
  it('is exactly the export folders of every target the scan looks up', () => {
    const oses: OsInfo[] = [
      { id: 'debian', versionId: '12' },
      { id: 'ubuntu', versionId: '22.04' },
      { id: 'alpine', versionId: '3.19.1' },
      { id: 'wolfi' },
      { id: 'chainguard' },
      { id: 'almalinux', versionId: '9.3' },
      { id: 'rocky', versionId: '9.3' },
      { id: 'opensuse-leap', versionId: '15.5' },
      { id: 'opensuse-tumbleweed' },
      { id: 'sles', versionId: '15.5' },
      { id: 'mageia', versionId: '9' },
      { id: 'rhel', versionId: '9.3' },
    ] as OsInfo[];
    const packages = [
      pkg('deb', 'libc6', 'pkg:deb/debian/libc6@1.2.3'),
      pkg('apk', 'busybox', 'pkg:apk/alpine/busybox@1.2.3'),
      pkg('rpm', 'bash', 'pkg:rpm/rocky/bash@1.2.3'),
      pkg('npm', 'lodash', 'pkg:npm/lodash@1.2.3'),
      pkg('pypi', 'Jinja2', 'pkg:pypi/jinja2@1.2.3'),
      pkg('gem', 'rack', 'pkg:gem/rack@1.2.3'),
      pkg('cargo', 'serde', 'pkg:cargo/serde@1.2.3'),
      pkg('nuget', 'Newtonsoft.Json', 'pkg:nuget/Newtonsoft.Json@1.2.3'),
      pkg('golang', 'golang.org/x/net', 'pkg:golang/golang.org/x/net@v1.2.3'),
      pkg('maven', 'commons-text', 'pkg:maven/org.apache.commons/commons-text@1.2.3'),
      pkg('composer', 'symfony/http-kernel', 'pkg:composer/symfony/http-kernel@1.2.3'),
    ];
    const looked = new Set<string>();
    for (const os of oses) {
      for (const p of packages) {
        const target = osvTargetFor(p, os);
        if (!isUnsupported(target)) looked.add(baseEcosystem(target.ecosystem));
      }
    }
    expect([...looked].sort()).toEqual([...EXPORT_ECOSYSTEMS].sort());
  });
});
