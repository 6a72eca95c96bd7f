/** The advisory page a user opens to read about a finding: OSV.dev's, which every OSV id has. */
export function advisoryUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}
