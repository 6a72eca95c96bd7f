import { readFileSync } from 'node:fs';
import { DRYDOCK_VERSION } from '../../shared/version.js';

describe('DRYDOCK_VERSION', () => {
  it('is the version package.json gives the release', () => {
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(DRYDOCK_VERSION).toBe(packageJson.version);
  });
});
