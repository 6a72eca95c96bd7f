import type { Platform } from '../platform/platform.js';
import { parsePlatform, type PlatformWanted } from '../image/platform-selector.js';
import { DrydockError } from '../errors.js';

/** Inputs every image command shares, read the same way on every platform. */
export interface ImageInputs {
  image: string;
  platform: PlatformWanted;
  insecureRegistries: string[];
}

export function readImageInputs(platform: Platform): ImageInputs {
  return {
    image: platform.getInput('image', { required: true }),
    platform: parsePlatform(platform.getInput('platform')),
    insecureRegistries: platform.getListInput('insecure-registries'),
  };
}

/** Validates a choice input against its allowed values, naming the input on error. */
export function readChoice<T extends string>(platform: Platform, name: string, allowed: readonly T[], fallback: T): T {
  const value = platform.getInput(name).trim().toLowerCase() || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new DrydockError('USAGE', `${platform.describeInput(name, value)} is not one of: ${allowed.join(', ')}`);
  }
  return value as T;
}
