import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chainCredentials,
  explicitCredentials,
  memoiseCredentials,
  normaliseRegistryKey,
  type CredentialProvider,
} from '../../../../shared/image/registry/credentials.js';
import { registryCredentials } from '../../../../shared/image/registry/default-credentials.js';

describe('normaliseRegistryKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://LOCALHOST:5000/v2/', 'localhost:5000'],
    ['myacr.azurecr.io', 'myacr.azurecr.io'],
  ])('%s → %s', (key, expected) => {
    expect(normaliseRegistryKey(key)).toBe(expected);
  });
});

describe('credential providers', () => {
  it('explicit credentials match by normalised registry and skip empty entries', async () => {
    const provider = explicitCredentials([
      { registry: 'https://index.docker.io/v1/', username: 'hub', password: 'p1' },
      { registry: 'ghcr.io' },
      { registry: 'ghcr.io', username: 'gh', password: 'p2' },
    ]);
    expect(await provider.get('docker.io')).toMatchObject({ username: 'hub', password: 'p1' });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'gh', password: 'p2' });
    expect(await provider.get('quay.io')).toBeUndefined();
  });

  it('chains in order and memoises lookups', async () => {
    let calls = 0;
    const counting: CredentialProvider = { get: async () => (calls++, { username: 'second', password: 'x' }) };
    const chained = memoiseCredentials(chainCredentials(explicitCredentials([{ registry: 'a.io', username: 'first', password: 'y' }]), counting));
    expect(await chained.get('a.io')).toMatchObject({ username: 'first' });
    expect(await chained.get('b.io')).toMatchObject({ username: 'second' });
    expect(await chained.get('b.io')).toMatchObject({ username: 'second' });
    expect(calls).toBe(1);
  });

  it('registryCredentials asks explicit credentials before docker config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-creds-'));
    try {
      const path = join(dir, 'config.json');
      writeFileSync(path, JSON.stringify({ auths: { 'ghcr.io': { username: 'from-file', password: 'f' }, 'quay.io': { username: 'q', password: 'q' } } }));
      const provider = registryCredentials({ explicit: [{ registry: 'ghcr.io', username: 'explicit', password: 'e' }], dockerConfig: { path }, acr: false });
      expect(await provider.get('ghcr.io')).toMatchObject({ username: 'explicit' });
      expect(await provider.get('quay.io')).toMatchObject({ username: 'q' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
