import { PackageURL } from 'packageurl-js';

/**
 * A package URL. packageurl-js validates and orders the qualifiers; the version's `+` is then
 * percent-encoded because DESIGN.md's contract (and the purls Trivy and Syft print) write
 * `2.36-9%2Bdeb12u4`, while packageurl-js leaves the `+` bare.
 */
export function packageUrl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(qualifiers ?? {})) if (value) kept[key] = value;
  const purl = new PackageURL(type, namespace, name, version, Object.keys(kept).length > 0 ? kept : undefined, undefined).toString();
  // '@' never appears bare in the encoded type/namespace/name, so the first one opens the version.
  const at = purl.indexOf('@');
  if (at === -1) return purl;
  const end = purl.slice(at).search(/[?#]/);
  const stop = end === -1 ? purl.length : at + end;
  return purl.slice(0, at) + purl.slice(at, stop).replace(/\+/g, '%2B') + purl.slice(stop);
}

/** `distro` qualifier: `debian-12`, `alpine-3.19.1`; absent without a version. */
export function distroQualifier(os: { id: string; versionId?: string } | undefined): string | undefined {
  if (!os) return undefined;
  return os.versionId ? `${os.id}-${os.versionId}` : os.id;
}
