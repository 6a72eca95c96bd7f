/**
 * Image references in Helm values files, opted in by glob: `image:` scalars, and the split maps
 * most charts use (`registry` optional, `repository` or `image`, `tag` or `version`, optional
 * `digest`), which a chart's template joins into `registry/repository:tag`.
 *
 * A split map is pinned where its chart reads a digest: into its own `digest:` key when it has
 * one (Bitnami's and ingress-nginx's charts), else onto the tag (`tag: "1.25@sha256:…"`, which a
 * `{{ .repository }}:{{ .tag }}` template turns into a pinned reference, as Argo CD Image Updater
 * writes it). Read line by line, like the scalars, so a rewrite keeps every other byte.
 */
import { extractImageLines } from '../image-lines.js';
import { parseSiteReference, splitReference, type ImageSite } from '../image-site.js';

/** A key with no value on its line: the parent of a map (`image:`, `- image:`, `"coreImage":`). */
const MAP_KEY = /^([ \t]*(?:-[ \t]+)?)(["']?)([A-Za-z0-9_.-]+)\2[ \t]*:[ \t]*(?:#.*)?$/;
/** A child scalar: its key and its value, quoted or plain, with a trailing comment allowed. */
const CHILD = /^([ \t]*)(["']?)([A-Za-z0-9_.-]+)\2[ \t]*:(?:[ \t]+(?:"([^"]*)"|'([^']*)'|([^\s"'#][^#]*?)))?[ \t]*(?:#.*)?$/d;
const KEYS = { registry: 'registry', repository: 'repository', image: 'repository', tag: 'tag', version: 'tag', digest: 'digest' } as const;
type Part = (typeof KEYS)[keyof typeof KEYS];

interface Line {
  number: number;
  start: number;
  text: string;
}

/** One child value: its text, its offsets in the file, its line, and whether it was quoted. */
interface Value {
  text: string;
  start: number;
  end: number;
  line: number;
  quoted: boolean;
}

export function extractHelmValues(content: string, file: string): ImageSite[] {
  const lines = splitLines(content);
  const maps = splitMaps(lines);
  // A map's `image:` child is its repository, not an image of its own.
  const inMaps = new Set(maps.flatMap((map) => map.lines));
  const scalars = extractImageLines(content, file, 'helm-values').filter((site) => !inMaps.has(site.line));
  const sites = [...scalars, ...maps.flatMap((map) => siteOf(map, file))];
  return sites.sort((a, b) => a.line - b.line);
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let number = 1; start <= content.length; number++) {
    const newline = content.indexOf('\n', start);
    const end = newline === -1 ? content.length : newline;
    lines.push({ number, start, text: content.slice(start, end).replace(/\r+$/, '') });
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

const indentOf = (text: string): number => /^[ \t]*/.exec(text)![0].length;
const isBlank = (text: string): boolean => /^[ \t]*(?:#.*)?$/.test(text);

/** The maps that hold a repository and a tag, with their parts and the lines of those parts. */
interface SplitMap {
  /** The parent key (`image`, `coreImage`, `chart`). */
  key: string;
  parts: Map<Part, Value>;
  lines: number[];
}

function splitMaps(lines: readonly Line[]): SplitMap[] {
  const maps: SplitMap[] = [];
  for (let i = 0; i < lines.length; i++) {
    const parent = MAP_KEY.exec(lines[i]!.text);
    if (!parent) continue;
    const parentIndent = parent[1]!.length;
    const parts = new Map<Part, Value>();
    const partLines: number[] = [];
    let childIndent: number | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const { text, start, number } = lines[j]!;
      if (isBlank(text)) continue;
      const indent = indentOf(text);
      if (indent <= parentIndent) break;
      childIndent ??= indent;
      // Deeper lines belong to a nested map; a shallower one ends this map's block.
      if (indent !== childIndent) {
        if (indent < childIndent) break;
        continue;
      }
      const child = CHILD.exec(text);
      const part = child ? KEYS[child[3] as keyof typeof KEYS] : undefined;
      if (!child || part === undefined || parts.has(part)) continue;
      const group = child[4] !== undefined ? 4 : child[5] !== undefined ? 5 : child[6] !== undefined ? 6 : undefined;
      const [valueStart, valueEnd] = group === undefined ? [text.length, text.length] : child.indices![group]!;
      parts.set(part, { text: group === undefined ? '' : child[group]!, start: start + valueStart, end: start + valueEnd, line: number, quoted: group === 4 || group === 5 });
      partLines.push(number);
    }
    if (parts.has('repository') && parts.has('tag')) maps.push({ key: parent[3]!, parts, lines: partLines });
  }
  return maps;
}

/**
 * A split map as a site: the reference its chart would join, and where its digest is or goes.
 * `repository` and `version` are common words: a map that does not join into an image reference
 * is not an image (a chart repository and its version) unless its key says image.
 */
function siteOf({ key, parts }: SplitMap, file: string): ImageSite[] {
  const registry = parts.get('registry')?.text.replace(/\/+$/, '') ?? '';
  const repository = parts.get('repository')!;
  const tag = parts.get('tag')!;
  const digest = parts.get('digest');
  // Templated, or a tag left to the chart's appVersion: the image is decided elsewhere.
  if ([registry, repository.text, tag.text, digest?.text ?? ''].some((text) => /[{}$]/.test(text)) || repository.text === '' || tag.text === '') return [];
  const name = registry === '' ? repository.text : `${registry}/${repository.text}`;
  const inTag = splitReference(`x:${tag.text}`);
  const text = `${name}:${tag.text}${digest && digest.text !== '' && inTag.digest === undefined ? `@${digest.text}` : ''}`;
  const parsedParts = splitReference(text);
  const site: ImageSite = { manager: 'helm-values', kind: 'image', file, line: tag.line, image: parsedParts.image };
  if (parsedParts.tag !== undefined) site.tag = parsedParts.tag;
  if (parsedParts.digest !== undefined) site.digest = parsedParts.digest;
  const parsed = parseSiteReference(text);
  if ('problem' in parsed) {
    if (!/image/i.test(key)) return [];
    site.problem = parsed.problem;
    return [site];
  }
  site.reference = parsed.reference;
  if (inTag.digest !== undefined) {
    if (digest && digest.text !== '') site.problem = `both the tag (${tag.text}) and the digest key name a digest`;
    else site.digestRange = { start: tag.start + inTag.digestStart! - 2, end: tag.end };
  } else if (digest !== undefined && digest.text !== '') {
    site.line = digest.line;
    site.digestRange = { start: digest.start, end: digest.end };
  } else if (digest !== undefined && digest.quoted) {
    // `digest: ""`: the chart reads its digest there.
    site.line = digest.line;
    site.insertAt = digest.start;
    site.pinAs = 'digest';
  } else if (digest !== undefined) {
    site.pinProblem = `the digest key on line ${digest.line} has no value; write digest: "" for drydock to fill it`;
  } else site.insertAt = tag.end;
  return [site];
}
