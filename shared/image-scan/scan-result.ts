import type { BaseImage, LayerInfo, OsInfo, Package } from '../scan/index.js';

export type { LayerInfo };
import type { Finding, SuppressedFinding } from '../vuln/index.js';

export type { Finding, SuppressedFinding, Severity } from '../vuln/index.js';
export { SEVERITIES } from '../vuln/index.js';

/** What one scan of one image (one platform) found: the input of every report renderer. */

export interface ImageScanResult {
  reference: string;
  digest: string;
  platform: string;
  os?: OsInfo;
  layers: LayerInfo[];
  /** The base image's share of the layers (the first `layers` of them), when the history shows where it ends. */
  baseImage?: BaseImage;
  packages: Package[];
  vulnerabilities: Finding[];
  suppressed: SuppressedFinding[];
  /** Packages that could not be checked (no advisories for the distro, a version the ecosystem cannot read), with why. */
  unchecked: Array<{ name: string; version: string; type: Package['type']; reason: string }>;
  /** Non-fatal things the user should know (malformed language manifest, oversized file skipped, expired ignore). */
  warnings: string[];
  /** Database used, for reports (e.g. `osv-offline:/data/osv`). */
  database: string;
  scannedAt: string;
}
