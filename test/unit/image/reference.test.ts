import { parseReference, formatReference, apiHost } from '../../../shared/image/reference.js';
import { DrydockError } from '../../../shared/errors.js';

describe('parseReference', () => {
  it.each([
    ['alpine', { transport: 'registry', registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.19', { transport: 'registry', registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
    ['bitnami/redis:7', { transport: 'registry', registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['index.docker.io/nginx', { transport: 'registry', registry: 'docker.io', repository: 'library/nginx' }],
    ['ghcr.io/org/team/base:v1', { transport: 'registry', registry: 'ghcr.io', repository: 'org/team/base', tag: 'v1' }],
    ['localhost/app', { transport: 'registry', registry: 'localhost', repository: 'app' }],
    ['127.0.0.1:5000/app:1.0', { transport: 'registry', registry: '127.0.0.1:5000', repository: 'app', tag: '1.0' }],
    [`127.0.0.1:5000/app@sha256:${'a'.repeat(64)}`, { transport: 'registry', registry: '127.0.0.1:5000', repository: 'app', digest: `sha256:${'a'.repeat(64)}` }],
    [`app:1@sha256:${'b'.repeat(64)}`, { transport: 'registry', registry: 'docker.io', repository: 'library/app', tag: '1', digest: `sha256:${'b'.repeat(64)}` }],
    ['oci:/tmp/layout', { transport: 'oci', path: '/tmp/layout' }],
    ['oci:/tmp/layout:v2', { transport: 'oci', path: '/tmp/layout', tag: 'v2' }],
    ['oci-archive:img.tar:latest', { transport: 'oci-archive', path: 'img.tar', tag: 'latest' }],
    ['docker-archive:save.tar', { transport: 'docker-archive', path: 'save.tar' }],
    ['docker-daemon:nginx:1.25', { transport: 'docker-daemon', name: 'nginx:1.25' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['UPPER/case', /component "UPPER"/],
    ['app:bad tag', /tag "bad tag"/],
    ['app@sha256:1234', /digest "sha256:1234"/],
    ['https://ghcr.io/x', /URL/],
    ['oci:', /needs a path/],
    ['docker-daemon:', /needs an image name/],
    ['ghcr.io/', /component ""/],
  ])('rejects %p naming the bad part', (input, message) => {
    expect(() => parseReference(input)).toThrow(DrydockError);
    expect(() => parseReference(input)).toThrow(message);
  });

  it('formats back and maps Docker Hub to its API host', () => {
    expect(formatReference(parseReference('alpine'))).toBe('docker.io/library/alpine:latest');
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
  });
});
