/**
 * A finding is DESIGN's `vulnerabilities[]` item; the contract lives with the scan result
 * (shared/scan/scan-result.ts) that every renderer reads. This module produces it.
 */
export type { Finding, SuppressedFinding, Severity } from '../scan/scan-result.js';
