import { z } from 'zod';
import { parseJson } from '../../parse-json.js';

/**
 * A .NET app's `<App>.deps.json` (Microsoft.Extensions.DependencyModel): `libraries` maps
 * `Name/Version` to what the library is. `package` entries are NuGet packages restored into the
 * app; `project` is the app itself or a project it references (built from source, no NuGet
 * release), `reference` a loose assembly, and the runtime's own deps.json lists `runtimepack`s.
 */
const librarySchema = z.looseObject({
  type: z.string(),
  serviceable: z.boolean().optional(),
  sha512: z.string().optional(),
  path: z.string().optional(),
  hashPath: z.string().optional(),
});
const depsJsonSchema = z.looseObject({
  runtimeTarget: z.looseObject({ name: z.string().optional() }).optional(),
  libraries: z.record(z.string(), librarySchema).optional(),
});

export interface NugetLibrary {
  name: string;
  version: string;
  /** `sha512-…` of the .nupkg, as NuGet restored it. */
  sha512?: string;
  /** Folder in the NuGet cache, `newtonsoft.json/13.0.3`. */
  path?: string;
}

export interface DepsJson {
  /** `.NETCoreApp,Version=v8.0`. */
  runtimeTarget?: string;
  packages: NugetLibrary[];
  /** Library keys that are not `Name/Version`. */
  malformed: string[];
}

export function parseDepsJson(text: string, what: string): DepsJson {
  const deps = parseJson(depsJsonSchema, text.replace(/^\uFEFF/, ''), what, 'INPUT_INVALID');
  const packages: NugetLibrary[] = [];
  const malformed: string[] = [];
  for (const [key, library] of Object.entries(deps.libraries ?? {})) {
    if (library.type.toLowerCase() !== 'package') continue;
    const slash = key.indexOf('/');
    const name = key.slice(0, slash);
    const version = key.slice(slash + 1);
    if (slash <= 0 || version === '' || version.includes('/')) {
      malformed.push(key);
      continue;
    }
    packages.push({
      name,
      version,
      ...(library.sha512 ? { sha512: library.sha512 } : {}),
      ...(library.path ? { path: library.path } : {}),
    });
  }
  return { ...(deps.runtimeTarget?.name ? { runtimeTarget: deps.runtimeTarget.name } : {}), packages, malformed };
}
