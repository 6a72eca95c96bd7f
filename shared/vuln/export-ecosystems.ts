/**
 * The folders of OSV's public export (`<base>/<Ecosystem>/all.zip`) that hold records for what
 * a scan looks up: the base ecosystem of every target osvTargetFor (ecosystems.ts) can return.
 * `drydock db fetch` downloads these when no `--ecosystem` is given; a test keeps the two in step.
 */
export const EXPORT_ECOSYSTEMS: readonly string[] = [
  'Debian',
  'Ubuntu',
  'Alpine',
  'Wolfi',
  'Chainguard',
  'AlmaLinux',
  'Rocky Linux',
  'openSUSE',
  'SUSE',
  'Mageia',
  'npm',
  'PyPI',
  'RubyGems',
  'crates.io',
  'NuGet',
  'Go',
  'Maven',
  'Packagist',
];
