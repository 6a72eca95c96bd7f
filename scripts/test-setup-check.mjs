#!/usr/bin/env node
// Checks the Debian tools the tests run for real (registry, htpasswd, openssl, skopeo) and installs
// the missing ones when running as root; otherwise names the packages to install and fails.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const TOOLS = [
  { command: 'docker-registry', path: '/usr/bin/docker-registry', pkg: 'docker-registry', why: 'the test registries' },
  { command: 'htpasswd', pkg: 'apache2-utils', why: 'Basic auth for the test registry' },
  { command: 'openssl', pkg: 'openssl', why: 'the token server certificate' },
  { command: 'skopeo', pkg: 'skopeo', why: 'an independent oracle for OCI layouts and archives' },
  { command: 'tar', pkg: 'tar', why: 'GNU/pax archives in source tests' },
  { command: 'dpkg', pkg: 'dpkg', why: 'the dpkg version-order oracle' },
  { command: 'python3-rpm', file: '/usr/lib/python3/dist-packages/rpm/__init__.py', pkg: 'python3-rpm', why: "rpm's labelCompare as the rpm version-order oracle" },
  { command: 'php', pkg: 'php-cli', why: "PHP's version_compare as the Packagist version-order oracle" },
];

function found(tool) {
  if (tool.file) {
    try {
      accessSync(tool.file, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }
  const candidates = tool.path ? [tool.path] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, tool.command));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function installMissingTools() {
  const missing = TOOLS.filter((tool) => !found(tool));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.pkg))];
  const described = missing.map((tool) => `${tool.command} (Debian package ${tool.pkg}, for ${tool.why})`).join('; ');
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`test setup: missing ${described}.\nInstall with: sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(1);
  }
  console.log(`test setup: installing ${packages.join(' ')} (missing ${described})`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    console.error(`test setup: apt-get install ${packages.join(' ')} failed: ${error.message}`);
    process.exit(1);
  }
  const still = TOOLS.filter((tool) => !found(tool));
  if (still.length) {
    console.error(`test setup: still missing after install: ${still.map((t) => `${t.command} (${t.pkg})`).join(', ')}`);
    process.exit(1);
  }
}

installMissingTools();
console.log(`test setup: ${TOOLS.map((t) => t.command).join(', ')} present`);

// Real packages some tests read (Debian .debs, npm tarballs), fetched once into .cache/real-packages/.
const { fetchRealPackages } = await import('./real-packages.mjs');
try {
  const fetched = fetchRealPackages();
  if (fetched.length) console.log(`test setup: fetched ${fetched.length} real packages (${fetched.join(', ')})`);
} catch (error) {
  console.error(`test setup: ${error.message}`);
  process.exit(1);
}
