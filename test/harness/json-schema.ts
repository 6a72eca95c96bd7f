import AjvModule, { type Options, type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * ajv for the published schemas the fakes and reports are checked against: draft-07 (ajv's
 * default build) and draft 2020-12 (`ajv/dist/2020`), each with ajv-formats.
 */
// All three are CommonJS with `exports.default`; Node's ESM loader hands over module.exports,
// so take `.default` when it is there and the module itself otherwise.
function interop<T>(module: unknown): T {
  return ((module as { default?: T }).default ?? module) as T;
}
const Ajv = interop<typeof AjvModule.default>(AjvModule);
const Ajv2020 = interop<typeof Ajv2020Module.default>(Ajv2020Module);
const addFormats = interop<typeof addFormatsModule.default>(addFormatsModule);

export type Ajv = InstanceType<typeof Ajv>;

/** Problems as `path: message`, none when the value is valid. */
export type Check = (value: unknown) => string[];

export function draft07(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, ...options });
  addFormats(ajv);
  return ajv;
}

export function draft2020(options: Options = {}): Ajv {
  const ajv = new Ajv2020({ allErrors: true, ...options });
  addFormats(ajv);
  return ajv as unknown as Ajv;
}

/** ajv's errors as `path: message`, naming the allowed values or the extra property where ajv gives them. */
export function asCheck(validate: ValidateFunction): Check {
  return (value) => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => {
      const params = e.params as { allowedValues?: unknown[]; additionalProperty?: string };
      const detail = params.allowedValues ? ` ${JSON.stringify(params.allowedValues)}` : params.additionalProperty ? ` "${params.additionalProperty}"` : '';
      return `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}${detail}`;
    });
  };
}
