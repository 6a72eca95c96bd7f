import { parseDockerfile } from '../../../shared/update/dockerfile/index.js';
import { DockerfileSyntaxError, extractDockerfile, type ImageSite } from '../../../shared/update/index.js';

/**
 * BuildKit's rules, one small real-world-style Dockerfile each: what is a base image, on which
 * line its digest text is (or would go), and which Dockerfiles BuildKit refuses.
 */
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

interface Seen {
  kind: string;
  line: number;
  image: string;
  tag?: string;
  digest?: string;
  platform?: string;
  problem?: string;
  pinProblem?: string;
}

function sites(text: string): Seen[] {
  return extractDockerfile(text, 'Dockerfile').map((site) => ({
    kind: site.kind,
    line: site.line,
    image: site.image,
    ...(site.tag !== undefined ? { tag: site.tag } : {}),
    ...(site.digest !== undefined ? { digest: site.digest } : {}),
    ...(site.platform !== undefined ? { platform: site.platform } : {}),
    ...(site.problem !== undefined ? { problem: site.problem } : {}),
    ...(site.pinProblem !== undefined ? { pinProblem: site.pinProblem } : {}),
  }));
}

/** The file with `@sha256:…` inserted where a pin goes, or the digest replaced: what a rewrite would produce. */
function edited(text: string, site: ImageSite, digest: string): string {
  if (site.digestRange) return text.slice(0, site.digestRange.start) + digest + text.slice(site.digestRange.end);
  if (site.insertAt === undefined) throw new Error('site has neither a digest range nor an insertion point');
  return text.slice(0, site.insertAt) + `${site.tag === undefined ? ':latest' : ''}@${digest}` + text.slice(site.insertAt);
}

function only(text: string): ImageSite {
  const found = extractDockerfile(text, 'Dockerfile');
  expect(found).toHaveLength(1);
  return found[0]!;
}

function syntaxError(text: string): { line: number; message: string } {
  try {
    extractDockerfile(text, 'Dockerfile');
  } catch (error) {
    if (error instanceof DockerfileSyntaxError) return { line: error.line, message: error.message };
    throw error;
  }
  throw new Error('expected a DockerfileSyntaxError');
}

describe('FROM, stages and scratch', () => {
  it('reads a single FROM with a tag', () => {
    expect(sites('FROM alpine:3.19\nRUN apk add curl\n')).toEqual([{ kind: 'from', line: 1, image: 'alpine', tag: '3.19' }]);
  });

  it('keeps the repository as written (registry, port, path) and splits tag and digest', () => {
    expect(sites(`FROM ghcr.io/org/base:1.2@${A}\nFROM localhost:5000/team/app\n`)).toEqual([
      { kind: 'from', line: 1, image: 'ghcr.io/org/base', tag: '1.2', digest: A },
      { kind: 'from', line: 2, image: 'localhost:5000/team/app' },
    ]);
  });

  it('reads a multi-stage build: stage aliases (any case) and stage indexes are not images', () => {
    const text = [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'RUN go build -o /app .',
      'FROM build AS test',
      'RUN go test ./...',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build /app /app',
      'COPY --from=0 /etc/passwd /etc/passwd',
      'COPY --from=BUILD /app /app2',
      'COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/',
      'FROM Test',
      '',
    ].join('\n');
    expect(sites(text)).toEqual([
      { kind: 'from', line: 1, image: 'golang', tag: '1.22' },
      { kind: 'from', line: 6, image: 'gcr.io/distroless/static-debian12', tag: 'nonroot' },
      { kind: 'copy-from', line: 10, image: 'nginx', tag: '1.25' },
    ]);
  });

  it('takes FROM as a stage only when the stage comes earlier, and COPY --from as any stage of the file', () => {
    expect(sites('FROM base AS final\nCOPY --from=base /a /a\nFROM alpine:3.19 AS base\nFROM alpine AS alpine\nFROM alpine\n')).toEqual([
      { kind: 'from', line: 1, image: 'base' },
      { kind: 'from', line: 3, image: 'alpine', tag: '3.19' },
      { kind: 'from', line: 4, image: 'alpine' },
    ]);
  });

  it('skips scratch in any case', () => {
    expect(sites('FROM scratch\nCOPY app /\nFROM SCRATCH AS empty\nFROM busybox:1.36\nCOPY --from=scratch / /\n')).toEqual([
      { kind: 'from', line: 4, image: 'busybox', tag: '1.36' },
    ]);
  });

  it('reads lower-case and mixed-case keywords and AS', () => {
    expect(sites('from alpine:3.19 as Base\nrun echo hi\nFrOm base\ncopy --FROM=redis:7 /usr/local/bin/redis-server /\n')).toEqual([
      { kind: 'from', line: 1, image: 'alpine', tag: '3.19' },
      { kind: 'copy-from', line: 4, image: 'redis', tag: '7' },
    ]);
  });

  it('keeps a literal --platform and ignores one made of ARGs', () => {
    expect(sites('FROM --platform=linux/arm64 alpine:3.19 AS arm\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\n')).toEqual([
      { kind: 'from', line: 1, image: 'alpine', tag: '3.19', platform: 'linux/arm64' },
      { kind: 'from', line: 2, image: 'golang', tag: '1.22' },
    ]);
  });

  it('reads a quoted image', () => {
    const text = 'FROM "alpine:3.19"\n';
    const site = only(text);
    expect(site.image).toBe('alpine');
    expect(edited(text, site, A)).toBe(`FROM "alpine:3.19@${A}"\n`);
  });

  it('pins an untagged reference with the tag it follows', () => {
    const text = 'FROM debian\n';
    const site = only(text);
    expect(site.tag).toBeUndefined();
    expect(edited(text, site, A)).toBe(`FROM debian:latest@${A}\n`);
  });
});

describe('ARG expansion in FROM', () => {
  it('edits an image that comes whole from an ARG at the ARG line', () => {
    const text = `ARG BASE=node:20-bookworm@${A}\n\nFROM \${BASE} AS build\nFROM $BASE\n`;
    const found = extractDockerfile(text, 'Dockerfile');
    expect(found.map((site) => [site.line, site.image, site.tag, site.digest])).toEqual([
      [1, 'node', '20-bookworm', A],
      [1, 'node', '20-bookworm', A],
    ]);
    expect(edited(text, found[0]!, B)).toBe(`ARG BASE=node:20-bookworm@${B}\n\nFROM \${BASE} AS build\nFROM $BASE\n`);
  });

  it('pins at the end of a quoted ARG value', () => {
    const text = 'ARG BASE="python:3.12-slim"\nFROM ${BASE}\n';
    expect(edited(text, only(text), A)).toBe(`ARG BASE="python:3.12-slim@${A}"\nFROM \${BASE}\n`);
  });

  it('builds a reference from several ARGs on one line, and from ARGs that use earlier ARGs', () => {
    expect(sites('ARG REG=ghcr.io IMG=org/base\nARG V=1.4\nFROM ${REG}/${IMG}:${V}\n')).toEqual([
      { kind: 'from', line: 3, image: 'ghcr.io/org/base', tag: '1.4', pinProblem: expect.stringContaining('ARG V') },
    ]);
    const nested = 'ARG REG=ghcr.io\nARG BASE=${REG}/org/base:2\nFROM $BASE\n';
    const site = only(nested);
    expect([site.image, site.tag, site.line]).toEqual(['ghcr.io/org/base', '2', 2]);
    expect(edited(nested, site, A)).toBe(`ARG REG=ghcr.io\nARG BASE=\${REG}/org/base:2@${A}\nFROM $BASE\n`);
  });

  it('uses ${VAR:-default} and ${VAR-default} as the shell does (empty versus unset)', () => {
    const text = 'ARG EMPTY=\nARG UNSET\nFROM ${EMPTY:-alpine}:3.19 AS a\nFROM ${UNSET-busybox}:1.36 AS b\nFROM node${EMPTY-x}:20 AS c\nFROM ${EMPTY:+nope}redis:7\n';
    expect(sites(text).map((site) => `${site.image}:${site.tag}`)).toEqual(['alpine:3.19', 'busybox:1.36', 'node:20', 'redis:7']);
  });

  it('takes the digest from an ARG that holds only the digest', () => {
    const text = `ARG DIGEST=${A}\nFROM alpine:3.19@\${DIGEST}\n`;
    const site = only(text);
    expect(site.line).toBe(1);
    expect(edited(text, site, B)).toBe(`ARG DIGEST=${B}\nFROM alpine:3.19@\${DIGEST}\n`);
  });

  it('pins after a literal tag that follows an ARG name', () => {
    const text = 'ARG REG=docker.io/library\nFROM ${REG}/alpine:3.19\n';
    const site = only(text);
    expect(site.line).toBe(2);
    expect(edited(text, site, A)).toBe(`ARG REG=docker.io/library\nFROM \${REG}/alpine:3.19@${A}\n`);
  });

  it('uses only ARGs declared before the first FROM', () => {
    const [, second] = sites('FROM alpine:3.19\nARG TAG=20\nFROM node:${TAG}\n');
    expect(second!.problem).toMatch(/\$TAG is not declared by an ARG before the first FROM/);
  });

  it('says an ARG without a default is not known here', () => {
    expect(sites('ARG BASE\nFROM $BASE\n')).toEqual([{ kind: 'from', line: 2, image: '$BASE', problem: expect.stringMatching(/ARG BASE has no default value/) }]);
  });

  it('reads COPY --from and RUN --mount from= with the ARGs of their stage', () => {
    const text = 'ARG TOOLS=busybox:1.36\nFROM alpine:3.19\nARG TOOLS\nARG GO=golang:1.22\nCOPY --from=${TOOLS} /bin/busybox /bin/\nRUN --mount=type=bind,from=$GO,source=/usr/local/go,target=/go go version\n';
    expect(sites(text)).toEqual([
      { kind: 'from', line: 2, image: 'alpine', tag: '3.19' },
      { kind: 'copy-from', line: 1, image: 'busybox', tag: '1.36' },
      { kind: 'mount-from', line: 4, image: 'golang', tag: '1.22' },
    ]);
  });
});

describe('RUN --mount and the syntax directive', () => {
  it('reads from= in a bind or cache mount, quoted CSV fields too, and skips stage mounts', () => {
    const text = [
      'FROM rust:1.77 AS build',
      'RUN --mount=type=cache,target=/root/.cargo/registry --mount=type=bind,from=ghcr.io/acme/protoc:25,source=/bin/protoc,target=/usr/bin/protoc cargo build',
      'FROM debian:12-slim',
      'RUN --mount=type=bind,from=build,source=/target,target=/t cp /t/app /usr/bin/',
      'RUN --mount="type=bind,from=alpine:3.19,target=/a" ls /a',
      '',
    ].join('\n');
    expect(sites(text)).toEqual([
      { kind: 'from', line: 1, image: 'rust', tag: '1.77' },
      { kind: 'mount-from', line: 2, image: 'ghcr.io/acme/protoc', tag: '25' },
      { kind: 'from', line: 3, image: 'debian', tag: '12-slim' },
      { kind: 'mount-from', line: 5, image: 'alpine', tag: '3.19' },
    ]);
  });

  it('reads the # syntax= frontend as a base image, with its digest', () => {
    const text = `# syntax=docker/dockerfile:1.7@${A}\nFROM alpine:3.19\n`;
    const found = extractDockerfile(text, 'Dockerfile');
    expect(found.map((site) => [site.kind, site.line, site.image, site.tag])).toEqual([
      ['syntax', 1, 'docker/dockerfile', '1.7'],
      ['from', 2, 'alpine', '3.19'],
    ]);
    expect(edited(text, found[0]!, B)).toBe(`# syntax=docker/dockerfile:1.7@${B}\nFROM alpine:3.19\n`);
  });

  it('reads directives in any case and spacing, and only before the first comment, blank line or instruction', () => {
    expect(sites('#  SYNTAX = docker/dockerfile:1\nFROM alpine\n')[0]).toMatchObject({ kind: 'syntax', image: 'docker/dockerfile', tag: '1' });
    expect(sites('# a comment\n# syntax=docker/dockerfile:1\nFROM alpine\n').map((site) => site.kind)).toEqual(['from']);
    expect(sites('\n# syntax=docker/dockerfile:1\nFROM alpine\n').map((site) => site.kind)).toEqual(['from']);
    expect(sites('FROM alpine\n# syntax=docker/dockerfile:1\n').map((site) => site.kind)).toEqual(['from']);
    expect(sites('# unknown=1\n# syntax=docker/dockerfile:1\nFROM alpine\n').map((site) => site.kind)).toEqual(['from']);
    expect(sites('# escape=\\\n# syntax=docker/dockerfile:1.6 ignored-options\nFROM alpine\n')[0]).toMatchObject({ kind: 'syntax', tag: '1.6' });
  });

  it('strips a byte order mark before the directives', () => {
    expect(sites('\xEF\xBB\xBF# syntax=docker/dockerfile:1\nFROM alpine:3.19\n').map((site) => [site.kind, site.line])).toEqual([
      ['syntax', 1],
      ['from', 2],
    ]);
  });
});

describe('continuations, comments, escape and line endings', () => {
  it('joins continuation lines and skips comment and blank lines inside them', () => {
    const text = `FROM \\\n  # the base, pinned\n\n    alpine:3.19@${A} \\\n  AS base\n`;
    const site = only(text);
    expect([site.line, site.image, site.tag]).toEqual([4, 'alpine', '3.19']);
    expect(edited(text, site, B)).toBe(text.replace(A, B));
  });

  it('takes trailing blanks after the backslash as a continuation, and an escaped backslash as none', () => {
    expect(sites('FROM \\   \n alpine:3.19\n')).toEqual([{ kind: 'from', line: 2, image: 'alpine', tag: '3.19' }]);
    expect(syntaxError('FROM alpine:3.19 \\\\\nAS base\n')).toEqual({ line: 2, message: 'unknown instruction: AS' });
  });

  it('uses the backtick as escape and continuation with # escape=`, and a backslash as plain text', () => {
    const text = [
      '# escape=`',
      `FROM mcr.microsoft.com/windows/servercore:ltsc2022@${A} \``,
      '  AS base',
      'RUN dir C:\\',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'COPY --from=mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022 `',
      '  C:\\ps C:\\ps',
      '',
    ].join('\r\n');
    const found = extractDockerfile(text, 'Dockerfile');
    expect(found.map((site) => [site.kind, site.line, site.image, site.tag])).toEqual([
      ['from', 2, 'mcr.microsoft.com/windows/servercore', 'ltsc2022'],
      ['from', 5, 'mcr.microsoft.com/windows/nanoserver', 'ltsc2022'],
      ['copy-from', 6, 'mcr.microsoft.com/powershell', 'lts-nanoserver-ltsc2022'],
    ]);
    expect(edited(text, found[0]!, B)).toBe(text.replace(A, B));
  });

  it('keeps CRLF line endings and counts lines the same way', () => {
    const text = `# syntax=docker/dockerfile:1\r\nARG V=3.19\r\nFROM alpine:\${V}@${A}\r\nRUN echo \\\r\n  ok\r\nFROM redis:7@${A} AS cache\r\n`;
    const found = extractDockerfile(text, 'Dockerfile');
    expect(found.map((site) => [site.kind, site.line, site.tag])).toEqual([
      ['syntax', 1, '1'],
      ['from', 3, '3.19'],
      ['from', 6, '7'],
    ]);
    expect(edited(text, found[2]!, B)).toBe(text.replace(`redis:7@${A}`, `redis:7@${B}`));
  });

  it('reads an indented instruction and a comment with leading blanks', () => {
    expect(sites('   # comment\n\tFROM alpine:3.19\n  RUN true\n')).toEqual([{ kind: 'from', line: 2, image: 'alpine', tag: '3.19' }]);
  });
});

describe('heredocs', () => {
  it('never reads a heredoc body as instructions', () => {
    const text = [
      'FROM alpine:3.19',
      'RUN <<EOF',
      'FROM evil:1',
      'COPY --from=evil:2 / /',
      'EOF',
      'COPY <<-EOT /etc/motd',
      '\tFROM evil:3',
      '\tEOT',
      'RUN <<"INNER" cat > /x && <<\'OTHER\' cat > /y',
      'FROM evil:4 $NOT_EXPANDED',
      'INNER',
      'FROM evil:5',
      'OTHER',
      'FROM busybox:1.36',
      '',
    ].join('\n');
    expect(sites(text).map((site) => `${site.line} ${site.image}:${site.tag}`)).toEqual(['1 alpine:3.19', '14 busybox:1.36']);
  });

  it('opens a heredoc after a continuation, and on ONBUILD RUN', () => {
    const text = 'FROM alpine:3.19\nRUN \\\n  <<EOF sh\nFROM evil:1\nEOF\nONBUILD RUN <<EOF\nFROM evil:2\nEOF\nFROM node:20\n';
    expect(sites(text).map((site) => site.line)).toEqual([1, 9]);
  });

  it('opens no heredoc in JSON form, in quotes, or in other instructions', () => {
    expect(syntaxError('FROM alpine\nRUN ["sh", "-c", "cat <<EOF"]\nFROM evil:1\nnot-an-instruction\n')).toEqual({ line: 4, message: 'unknown instruction: not-an-instruction' });
    expect(sites('FROM alpine\nRUN echo "<<EOF"\nFROM node:20\n').map((site) => site.line)).toEqual([1, 3]);
    expect(syntaxError('FROM alpine\nENV A=<<EOF\nhello\nEOF\n').message).toBe('unknown instruction: hello');
  });

  it('refuses an unterminated heredoc', () => {
    expect(syntaxError('FROM alpine\nRUN <<EOF\necho hi\n')).toEqual({ line: 2, message: expect.stringContaining('unterminated heredoc EOF') });
  });

  it('closes a <<- heredoc on a tab-indented terminator, a << heredoc only on an exact one', () => {
    expect(syntaxError('FROM alpine\nRUN <<EOF\n\tEOF\n').message).toContain('unterminated heredoc');
    expect(sites('FROM alpine\nRUN <<-EOF\n\techo\n\t\tEOF\nFROM node:20\n').map((site) => site.line)).toEqual([1, 5]);
  });
});

describe('malformed Dockerfiles are refused with the line BuildKit names', () => {
  it.each([
    ['an unknown instruction', 'FROM alpine\nRUNN apk add curl\n', 2, 'unknown instruction: RUNN'],
    ['FROM with two words', 'FROM alpine base\n', 1, 'FROM requires either one or three arguments'],
    ['FROM without an image', 'ARG A=1\nFROM\n', 2, 'FROM requires either one or three arguments'],
    ['FROM x XS y', 'FROM alpine XS base\n', 1, 'FROM requires either one or three arguments'],
    ['a stage name with symbols', 'FROM alpine AS 1st\n', 1, 'invalid name for build stage: "1st"'],
    ['an unknown FROM flag', 'FROM --pull=always alpine\n', 1, 'unknown flag: --pull'],
    ['an instruction before FROM', 'RUN echo hi\nFROM alpine\n', 1, 'RUN before the first FROM'],
    ['no FROM at all', 'ARG A=1\n', 1, 'no FROM instruction'],
    ['an empty file', '\n# only a comment\n', 2, 'file with no instructions'],
    ['two escape directives', '# escape=`\n# escape=\\\nFROM alpine\n', 2, 'only one escape parser directive can be used'],
    ['an invalid escape', '# escape=x\nFROM alpine\n', 1, "invalid escape token 'x'"],
    ['an unclosed quote', 'ARG BASE="alpine\nFROM $BASE\n', 1, 'matching double-quote'],
    ['an unclosed brace', 'ARG V=1\nFROM alpine:${V\n', 2, "missing '}'"],
    ['an empty ARG', 'ARG\nFROM alpine\n', 1, 'ARG requires at least one argument'],
    ['a continuation into nothing', 'FROM alpine\n\\\n# only a comment\n', 2, 'a line continuation is followed by no instruction'],
  ])('%s', (_what, text, line, message) => {
    const error = syntaxError(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });
});

describe('real-world Dockerfiles', () => {
  const D = A;
  it.each<[string, string, Array<[kind: string, line: number, reference: string]>]>([
    [
      'a Node app with a version ARG and a deps stage',
      [
        'ARG NODE_VERSION=20',
        'FROM node:${NODE_VERSION}-alpine AS deps',
        'WORKDIR /app',
        'COPY package*.json ./',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
        'FROM node:${NODE_VERSION}-alpine AS runner',
        'COPY --from=deps /app/node_modules ./node_modules',
        'USER node',
        'CMD ["node", "server.js"]',
      ].join('\n'),
      [
        ['from', 2, 'node:20-alpine'],
        ['from', 6, 'node:20-alpine'],
      ],
    ],
    [
      'a Python app that copies uv from its image',
      [
        '# syntax=docker/dockerfile:1.9',
        'FROM --platform=$BUILDPLATFORM python:3.12-slim-bookworm AS builder',
        'COPY --from=ghcr.io/astral-sh/uv:0.4.18 /uv /uvx /bin/',
        'ENV UV_COMPILE_BYTECODE=1 \\',
        '    UV_LINK_MODE=copy',
        'RUN --mount=type=cache,target=/root/.cache/uv \\',
        '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
        '    uv sync --frozen --no-install-project',
        `FROM python:3.12-slim-bookworm@${D}`,
        'COPY --from=builder --chown=app:app /app /app',
      ].join('\n'),
      [
        ['syntax', 1, 'docker/dockerfile:1.9'],
        ['from', 2, 'python:3.12-slim-bookworm'],
        ['copy-from', 3, 'ghcr.io/astral-sh/uv:0.4.18'],
        ['from', 9, `python:3.12-slim-bookworm@${D}`],
      ],
    ],
    [
      'a Go service on distroless, pinned',
      [
        `FROM golang:1.22.5-bookworm@${D} AS build`,
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/svc ./cmd/svc',
        '',
        `FROM gcr.io/distroless/static-debian12:nonroot@${D}`,
        'COPY --from=build /out/svc /svc',
        'ENTRYPOINT ["/svc"]',
      ].join('\n'),
      [
        ['from', 1, `golang:1.22.5-bookworm@${D}`],
        ['from', 8, `gcr.io/distroless/static-debian12:nonroot@${D}`],
      ],
    ],
    [
      'FROM words in comments, labels, RUN and heredoc bodies',
      [
        '# FROM old-base:1 was the previous base',
        'FROM debian:bookworm-slim',
        'LABEL description="built FROM debian" \\',
        '      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"',
        'RUN echo from here && \\',
        '  # FROM in a comment inside a continuation',
        '  echo FROM there',
        'COPY <<EOF /etc/app.conf',
        'FROM = not-an-image:1',
        'EOF',
        'ONBUILD COPY --from=onbuild-image:1 / /',
      ].join('\n'),
      [['from', 2, 'debian:bookworm-slim']],
    ],
    [
      'a Dockerfile with an ARG registry mirror and an ARG-chosen final stage',
      [
        'ARG REGISTRY=registry.example.com:5000/mirror',
        'ARG VARIANT=prod',
        'FROM ${REGISTRY}/nginx:1.27 AS base-prod',
        'FROM ${REGISTRY}/nginx:1.27-debug AS base-debug',
        'FROM base-${VARIANT}',
        'COPY site/ /usr/share/nginx/html/',
      ].join('\n'),
      [
        ['from', 3, 'registry.example.com:5000/mirror/nginx:1.27'],
        ['from', 4, 'registry.example.com:5000/mirror/nginx:1.27-debug'],
      ],
    ],
  ])('%s', (_what, text, expected) => {
    expect(
      extractDockerfile(text, 'Dockerfile').map((site) => [site.kind, site.line, `${site.image}${site.tag !== undefined ? `:${site.tag}` : ''}${site.digest ? `@${site.digest}` : ''}`]),
    ).toEqual(expected);
  });
});

describe('parseDockerfile', () => {
  it('keeps every character of an instruction at its byte offset', () => {
    const text = 'FROM \\\n alpine:3.19\nRUN echo hi\n';
    const parsed = parseDockerfile(text);
    const from = parsed.instructions[0]!;
    expect(from.args.text).toBe(' alpine:3.19'.trim());
    expect(from.args.at.map((offset) => text[offset]).join('')).toBe('alpine:3.19');
    expect([from.line, from.endLine, parsed.instructions[1]!.line]).toEqual([1, 2, 3]);
    expect(parsed.lineOf(text.indexOf('RUN'))).toBe(3);
  });
});
