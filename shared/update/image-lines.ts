/**
 * `image: repo:tag[@sha256:…]` lines, the one shape Kubernetes manifests, Helm values and
 * compose files share. Read line by line rather than through a YAML parser: a rewrite must keep
 * every other byte (comments, quoting, anchors, CRLF), and the value is one scalar on one line.
 * Templated values (`{{ … }}`, `${…}`) are left alone: their image is decided elsewhere.
 */
import { parseSiteReference, splitReference, type ImageSite, type Manager } from './image-site.js';

const IMAGE_LINE = /^[ \t]*(?:-[ \t]+)?(["']?)image\1[ \t]*:[ \t]+(["']?)([^\s"'#]+)\2[ \t]*(?:#.*)?$/d;
/** Not an image: templates, YAML block scalars, anchors, aliases, tags, and null. */
const NOT_AN_IMAGE = /[{}$]|^[>|&*!%@`]|^(?:null|Null|NULL|~)$/;

/** Every image line of a YAML file. `content` is read as latin1, so offsets are bytes. */
export function extractImageLines(content: string, file: string, manager: Manager): ImageSite[] {
  const sites: ImageSite[] = [];
  let start = 0;
  for (let line = 1; start <= content.length; line++) {
    const newline = content.indexOf('\n', start);
    const end = newline === -1 ? content.length : newline;
    const text = content.slice(start, end).replace(/\r+$/, '');
    const match = IMAGE_LINE.exec(text);
    if (match && !NOT_AN_IMAGE.test(match[3]!)) {
      const value = match[3]!;
      const valueStart = start + match.indices![3]![0];
      const parts = splitReference(value);
      const site: ImageSite = { manager, kind: 'image', file, line, image: parts.image };
      if (parts.tag !== undefined) site.tag = parts.tag;
      if (parts.digest !== undefined) site.digest = parts.digest;
      const parsed = parseSiteReference(value);
      if ('problem' in parsed) site.problem = parsed.problem;
      else {
        site.reference = parsed.reference;
        if (parts.digestStart !== undefined) site.digestRange = { start: valueStart + parts.digestStart, end: valueStart + value.length };
        else site.insertAt = valueStart + parts.nameEnd;
      }
      sites.push(site);
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  return sites;
}
