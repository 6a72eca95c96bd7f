/** Image references in Compose files (`services.*.image`), opted in by glob. */
import { extractImageLines } from '../image-lines.js';
import type { ImageSite } from '../image-site.js';

export function extractCompose(content: string, file: string): ImageSite[] {
  return extractImageLines(content, file, 'compose');
}
