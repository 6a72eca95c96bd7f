/** Image references in Kubernetes manifests (Deployment, CronJob, Pod … container `image:` fields), opted in by glob. */
import { extractImageLines } from '../image-lines.js';
import type { ImageSite } from '../image-site.js';

export function extractKubernetes(content: string, file: string): ImageSite[] {
  return extractImageLines(content, file, 'kubernetes');
}
