import type { BaseImage } from './base-image.js';
import type { OsInfo, Package, PackageType } from './package.js';

/** What one scan of one image (one platform) found: the input of every report renderer. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export interface Finding {
  /** Primary advisory id (the record that matched, e.g. DSA-5678-1, GHSA-…, CVE-…). */
  id: string;
  /** Every other id of the same vulnerability (CVE, GHSA, DLA…), sorted. */
  aliases: string[];
  package: { name: string; version: string; type: PackageType; purl: string };
  fixedVersion: string | null;
  severity: Severity;
  cvssScore: number | null;
  layerDigest: string;
  summary?: string;
  references?: string[];
  /** Where the package lives in the image (status file, jar path). */
  locations?: string[];
}

export interface SuppressedFinding extends Finding {
  suppression: { kind: 'ignore-file' | 'vex'; source: string; reason: string };
}

export interface LayerInfo {
  digest: string;
  size: number;
  /** The Dockerfile step that made it (config history `created_by`), when known. */
  createdBy?: string;
}

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
  /** Non-fatal things the user should know (malformed language manifest, oversized file skipped, expired ignore). */
  warnings: string[];
  /** Database used, for reports (e.g. `osv-offline:/data/osv`). */
  database: string;
  scannedAt: string;
}
