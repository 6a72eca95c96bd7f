import * as pep440 from '@renovatebot/pep440';
import { reject, schemeFrom } from './scheme.js';

/** Python packaging versions (PEP 440): epochs, pre/post/dev releases, local versions. */
export const pep440Scheme = schemeFrom(
  'pep440',
  (version: string) => (pep440.valid(version) === null ? reject('not a PEP 440 version') : version),
  (a, b) => pep440.compare(a, b),
  'PEP 440',
);
