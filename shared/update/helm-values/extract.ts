/** Image references in Helm values files (`image:` scalars; split repository/tag maps are not read), opted in by glob. */
import { extractImageLines } from '../image-lines.js';
import type { ImageSite } from '../image-site.js';

export function extractHelmValues(content: string, file: string): ImageSite[] {
  return extractImageLines(content, file, 'helm-values');
}
