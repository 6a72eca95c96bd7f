import { extractHelmValues } from '../../../shared/update/helm-values/extract.js';
import { planUpdates } from '../../../shared/update/plan.js';
import { resolutionKey, type DigestResolution } from '../../../shared/update/resolve-digests.js';
import { applyEdits } from '../../../shared/update/rewrite.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/** Shapes of real charts' values.yaml: Bitnami (registry/repository/tag/digest), ingress-nginx (image + digest), the chart template's default, a tag already pinned. */
const VALUES = [
  '# Default values',
  'image:',
  '  registry: docker.io',
  '  repository: bitnami/redis',
  '  tag: 7.2.4-debian-12-r9',
  '  digest: ""',
  '  pullPolicy: IfNotPresent',
  'controller:',
  '  name: controller',
  '  image:',
  '    registry: registry.k8s.io',
  '    image: ingress-nginx/controller # the repository',
  '    tag: "v1.9.4"',
  `    digest: ${A}`,
  '    pullPolicy: IfNotPresent',
  '  admissionWebhooks:',
  '    patch:',
  '      image:',
  "        repository: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen'",
  '        tag: v20231011-8b53cabe0',
  'app:',
  '  image:',
  '    repository: nginx',
  `    tag: "1.25@${A}"`,
  'sidecar:',
  '  image:',
  '    repository: busybox',
  '    tag: "1.36"',
  '    nested:',
  '      tag: ignored',
  'fromAppVersion:',
  '  image:',
  '    repository: nginx',
  '    tag: ""',
  'templated:',
  '  image:',
  '    repository: "{{ .Values.global.repo }}"',
  '    tag: "1.0"',
  'scalar:',
  '  image: redis:7',
  'nullDigest:',
  '  image:',
  '    repository: alpine',
  '    tag: "3.19"',
  '    digest:',
  '',
].join('\r\n');

describe('Helm values: split repository/tag maps', () => {
  const sites = extractHelmValues(VALUES, 'charts/app/values.yaml');

  it('reads each map as the reference its chart joins, and the scalars beside them', () => {
    expect(sites.map((site) => [site.line, site.image, site.tag ?? null, site.digest ?? null, site.problem ?? null])).toEqual([
      [6, 'docker.io/bitnami/redis', '7.2.4-debian-12-r9', null, null],
      [14, 'registry.k8s.io/ingress-nginx/controller', 'v1.9.4', A, null],
      [20, 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'v20231011-8b53cabe0', null, null],
      [24, 'nginx', '1.25', A, null],
      [28, 'busybox', '1.36', null, null],
      [40, 'redis', '7', null, null],
      [44, 'alpine', '3.19', null, null],
    ]);
    expect(sites.map((site) => site.reference && `${site.reference.registry}/${site.reference.repository}`)).toEqual([
      'docker.io/bitnami/redis',
      'registry.k8s.io/ingress-nginx/controller',
      'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
      'docker.io/library/nginx',
      'docker.io/library/busybox',
      'docker.io/library/redis',
      'docker.io/library/alpine',
    ]);
    expect(sites.at(-1)!.pinProblem).toBe('the digest key on line 45 has no value; write digest: "" for drydock to fill it');
  });

  it('pins and bumps where the chart reads the digest: its digest key, else the tag', () => {
    const digests = new Map<string, DigestResolution>(sites.map((site) => [resolutionKey(site.reference!), { digest: B, mediaType: 'application/vnd.oci.image.index.v1+json' }]));
    const plan = planUpdates(sites, digests, { pin: true });
    expect(plan.unresolved.map((u) => [u.site.line, u.reason])).toEqual([[44, 'the digest key on line 45 has no value; write digest: "" for drydock to fill it']]);
    const edits = plan.updates.map((u) => ({ ...u.edit, expected: VALUES.slice(u.edit.start, u.edit.end) }));
    const written = applyEdits(Buffer.from(VALUES, 'latin1'), edits, 'values.yaml').toString('latin1').split('\r\n');
    const before = VALUES.split('\r\n');
    const changed = written.flatMap((line, i) => (line === before[i] ? [] : [[i + 1, line]]));
    expect(changed).toEqual([
      [6, `  digest: "${B}"`],
      [14, `    digest: ${B}`],
      [20, `        tag: v20231011-8b53cabe0@${B}`],
      [24, `    tag: "1.25@${B}"`],
      [28, `    tag: "1.36@${B}"`],
      [40, `  image: redis:7@${B}`],
    ]);
    expect(written.length).toBe(before.length);
  });

  it('refuses a map whose tag and digest key both name a digest, and a repository that is not one', () => {
    const [both] = extractHelmValues(['image:', '  repository: nginx', `  tag: 1.25@${A}`, `  digest: ${B}`].join('\n'), 'values.yaml');
    expect(both!.problem).toBe(`both the tag (1.25@${A}) and the digest key name a digest`);
    const [bad] = extractHelmValues(['image:', '  repository: Not/Valid', '  tag: "1"'].join('\n'), 'values.yaml');
    expect(bad!.problem).toMatch(/invalid image reference "Not\/Valid:1"/);
    // A chart repository and its version is not an image: left alone, not reported.
    expect(extractHelmValues(['dependency:', '  repository: https://charts.example.com/stable', '  version: 1.2.3', 'sidecarImage:', '  repository: Bad/Name', '  tag: "2"'].join('\n'), 'values.yaml').map((site) => [site.line, site.problem !== undefined])).toEqual([[6, true]]);
  });
});
