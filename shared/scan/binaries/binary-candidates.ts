import { baseName } from '../cataloger.js';

/**
 * Which files the binary analysers (Go build info, cargo-auditable) are offered. Binaries are
 * recognised by their bytes (ELF, Mach-O or PE magic in the first four), wherever they are:
 * node_modules and site-packages ship Go and Rust programs (esbuild, turbo, prisma's engines, ruff),
 * often with names that look like extensions (`query-engine-debian-openssl-3.0.x`, `*.so.node`).
 * The only filters are the ones that cannot hide a binary: trees that by definition hold no
 * programs (FHS forbids binaries in /etc; pseudo filesystems; documentation, locale and zone data;
 * package manager databases), names whose extension is a text, source, media or archive format,
 * which no executable carries, and the names packages give their licence, readme and tool files. Everything else is decided from its first bytes by the
 * analyser, and the rest of a file that is not an executable flows past unread.
 */
const NO_PROGRAMS = [
  'etc/',
  'proc/',
  'sys/',
  'dev/',
  'usr/share/doc/',
  'usr/share/man/',
  'usr/share/info/',
  'usr/share/locale/',
  'usr/share/i18n/',
  'usr/share/zoneinfo/',
  'usr/share/terminfo/',
  'var/lib/dpkg/',
  'var/lib/apt/',
  'var/log/',
];

const NOT_EXECUTABLE_EXTENSIONS = new Set(
  [
    // text, markup, configuration
    'txt text md markdown mdx rst adoc html htm xhtml css scss sass less styl json json5 jsonc map yml yaml toml ini cfg conf',
    'properties xml xsd xsl dtd svg csv tsv log lock patch diff',
    // sources and scripts (shebang scripts have no extension more often than not: those are read)
    'js mjs cjs jsx ts mts cts tsx vue svelte py pyi pyc pyo rb erb php pl pm pod lua tcl sh bash zsh fish ps1 bat cmd',
    'java kt scala groovy class c h cc cpp cxx hh hpp hxx go rs swift cs fs sql graphql gql proto gemspec',
    // media and fonts
    'png jpg jpeg gif bmp ico icns webp avif tif tiff woff woff2 ttf otf eot mp3 mp4 ogg wav flac webm pdf',
    // archives, translations, keys
    'gz tgz bz2 xz zst lz4 br zip jar war ear whl egg tar 7z mo po pot gmo pem crt cer der asc sig gpg',
  ].flatMap((line) => line.split(' ')),
);

/**
 * Names every package uses for its texts and tool settings (`LICENSE`, `LICENSE-MIT`, `README`,
 * `Makefile`, `.npmignore`): most of the extension-less files of a node_modules tree.
 */
const TEXT_NAMES = /^(?:(?:licen[cs]e|copying|readme|changelog|changes|history|authors|contributors|notice|patents)(?:[-._].*)?|makefile|dockerfile|gemfile|rakefile|procfile|\.(?:npmignore|gitignore|gitattributes|gitmodules|gitkeep|keep|editorconfig|eslintrc|eslintignore|prettierrc|prettierignore|babelrc|nycrc|jshintrc|npmrc|yarnrc|nvmrc|mocharc|browserslistrc|travis\.yml))$/i;

export function isBinaryCandidate(path: string): boolean {
  if (NO_PROGRAMS.some((prefix) => path.startsWith(prefix))) return false;
  const name = baseName(path);
  if (TEXT_NAMES.test(name)) return false;
  const dot = name.lastIndexOf('.');
  return dot <= 0 || !NOT_EXECUTABLE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** ELF, Mach-O (both byte orders, 32 and 64 bit) or PE (`MZ`): the formats Go and Rust link. */
export function isExecutableFormat(head: Buffer): boolean {
  if (head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return magic === 0x7f454c46 || magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe || (head[0] === 0x4d && head[1] === 0x5a);
}
