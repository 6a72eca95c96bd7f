import { extractImageLines } from '../../../shared/update/image-lines.js';

const A = `sha256:${'a'.repeat(64)}`;

describe('image: lines of Kubernetes, Helm and Compose files', () => {
  it('reads plain, quoted, list-item and commented image lines, with byte offsets of the digest', () => {
    const text = [
      'containers:',
      `  - image: ghcr.io/org/api:1.4@${A} # pinned`,
      `    "image": "redis:7"`,
      `  - name: x`,
      `    image: 'nginx'`,
      '    imagePullPolicy: Always',
      `    image: \${REGISTRY}/app:\${TAG}`,
      '    image: {{ .Values.image }}',
      '    image: *default-image',
      '    image: >-',
      '    image: ~',
      '    image:',
      '      repository: nginx',
      '',
    ].join('\r\n');
    const sites = extractImageLines(text, 'k8s.yaml', 'kubernetes');
    expect(sites.map((site) => [site.line, site.image, site.tag, site.digest])).toEqual([
      [2, 'ghcr.io/org/api', '1.4', A],
      [3, 'redis', '7', undefined],
      [5, 'nginx', undefined, undefined],
    ]);
    expect(text.slice(sites[0]!.digestRange!.start, sites[0]!.digestRange!.end)).toBe(A);
    expect(text.slice(sites[1]!.insertAt! - 'redis:7'.length, sites[1]!.insertAt)).toBe('redis:7');
    expect(text[sites[1]!.insertAt!]).toBe('"');
  });

  it('marks a value that is not an image reference with why', () => {
    const [site] = extractImageLines('image: Not/Valid:tag\n', 'values.yaml', 'helm-values');
    expect(site!.problem).toMatch(/invalid image reference "Not\/Valid:tag"/);
  });
});
