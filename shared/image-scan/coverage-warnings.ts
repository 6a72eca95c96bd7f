import { OS_PACKAGE_TYPES, type OsInfo, type Package } from '../scan/index.js';

/**
 * What a scan could not look at, said in every report: an image where nothing was found must
 * never read as a clean one (Trivy says "OS is not detected" for the same reason).
 */
export function coverageWarnings(reference: string, catalog: { os?: OsInfo; packages: readonly Package[] }): string[] {
  if (catalog.os) return [];
  if (catalog.packages.length === 0) return [`no OS and no packages found in ${reference}: nothing was checked for vulnerabilities`];
  const languagePackages = catalog.packages.filter((pkg) => !OS_PACKAGE_TYPES.has(pkg.type)).length;
  return [
    `OS not detected in ${reference} (no etc/os-release or usr/lib/os-release): OS packages cannot be checked; ` +
      `${languagePackages} language packages were checked`,
  ];
}
