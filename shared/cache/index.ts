/** Cache folder resolution and atomic, validate-on-read file entries. */
export { resolveCacheDir, type CacheDirOptions } from './cache-dir.js';
export { FileCache } from './file-cache.js';
