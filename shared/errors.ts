/**
 * One error type for the whole core. Callers branch on `code`, never on message text,
 * and exactly one function (exitCodeFor) turns a code into a process exit code.
 */
export type DrydockErrorCode =
  | 'GATE_FAILED' // findings at or above --fail-on, or a signature that did not verify
  | 'USAGE' // bad command line / task inputs
  | 'REFERENCE_INVALID'
  | 'DIGEST_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_NOT_FOUND'
  | 'BLOB_NOT_FOUND'
  | 'PLATFORM_NOT_FOUND'
  | 'REGISTRY_ERROR'
  | 'REGISTRY_UNREACHABLE'
  | 'AUTH_FAILED'
  | 'INSECURE_REFUSED'
  | 'LAYER_INVALID' // corrupt gzip/zstd/tar, truncated stream
  | 'LAYER_TOO_LARGE' // decompression bomb guard
  | 'ARCHIVE_INVALID' // oci-archive / docker-archive / oci layout problems
  | 'SOURCE_UNAVAILABLE' // docker daemon missing, file not found
  | 'DATABASE_ERROR' // vulnerability database unreachable or corrupt
  | 'RECORD_INVALID' // an OSV record (or other foreign JSON) that fails its schema
  | 'INPUT_INVALID' // a user-supplied file (ignore file, VEX, Dockerfile) that is malformed
  | 'SIGNATURE_MALFORMED' // a signature envelope, bundle or certificate found beside an image cannot be parsed
  | 'TRUSTED_ROOT_UNAVAILABLE' // the Sigstore trusted root cannot be fetched through TUF
  | 'NOT_CHECKED' // --strict: packages the scan could not check for vulnerabilities
  | 'UNRESOLVED' // update-base-images --strict: an image reference whose digest could not be resolved
  | 'SCM_ERROR' // the repository host (GitHub, Azure Repos) refused or failed a branch, commit or pull request call
  | 'CACHE_ERROR'
  | 'INTERNAL';

export class DrydockError extends Error {
  readonly code: DrydockErrorCode;
  constructor(code: DrydockErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DrydockError';
    this.code = code;
  }
}

/** The gate failing is the only non-error non-zero outcome. */
export function exitCodeFor(error: unknown): 1 | 2 {
  if (error instanceof DrydockError && error.code === 'GATE_FAILED') return 1;
  return 2;
}

export function isDrydockError(error: unknown, code?: DrydockErrorCode): error is DrydockError {
  return error instanceof DrydockError && (code === undefined || error.code === code);
}

/**
 * Message for humans: the error, then those of its causes that add something, without stack
 * traces. Wrappers often quote their cause already (`cannot open X: ENOENT: …`), and Node repeats
 * itself (`getaddrinfo ENOTFOUND h`): a cause whose text is already said is left out, so every
 * cause is said once.
 */
export function describeError(error: unknown): string {
  let text = '';
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    // Duck-typed: errors from Node's internals may come from another realm (vm, jest).
    const isError = typeof current === 'object' && typeof (current as { message?: unknown }).message === 'string';
    const message = isError ? (current as { message: string }).message : String(current);
    if (message !== '' && !text.includes(message)) text = text === '' ? message : `${text}: ${message}`;
    if (!isError) break;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}
