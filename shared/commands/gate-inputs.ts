import type { InputSpec, OutputSpec } from './input-table.js';
import { SCAN_INPUTS, SCAN_OUTPUTS } from './scan-inputs.js';
import { PREDICATE_TYPE_INPUT, VERIFY_TRUST_INPUTS } from './verify-inputs.js';

/**
 * The one-step gate (the root action, `drydock gate`): the scan's inputs with verify's trust
 * inputs (and `predicate-type`, for an attestation instead of a signature) after the scan's own
 * gate inputs. With any trust input given, the image must verify before a layer is pulled.
 */
export const GATE_INPUTS: readonly InputSpec[] = (() => {
  const at = SCAN_INPUTS.findIndex((spec) => spec.name === 'platform');
  return [...SCAN_INPUTS.slice(0, at), ...VERIFY_TRUST_INPUTS, PREDICATE_TYPE_INPUT, ...SCAN_INPUTS.slice(at)];
})();

/** The scan's outputs, and whether the image verified. */
export const GATE_OUTPUTS: readonly OutputSpec[] = [
  ...SCAN_OUTPUTS,
  { name: 'verified', description: 'true when the image verified against the trust inputs (key, certificate-identity, trust-policy) before the scan; empty when none was given.' },
];
