import { z } from 'zod';
import { parseJson, parseValue } from '../../parse-json.js';

/**
 * `vendor/composer/installed.json`, which Composer rewrites on every install: what is in vendor/
 * now, dev packages included when they were installed. Composer 2 writes
 * `{ packages, dev, dev-package-names }`, Composer 1 a bare array of the same package entries.
 * A lock file only says what an install would bring, so it is not read.
 */
const licenseSchema = z.union([z.string(), z.array(z.string())]);
const packageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  version_normalized: z.string().optional(),
  type: z.string().optional(),
  license: licenseSchema.optional(),
});
const installedSchema = z.union([
  z.array(z.unknown()),
  z.looseObject({
    packages: z.array(z.unknown()),
    dev: z.boolean().optional(),
    'dev-package-names': z.array(z.string()).optional(),
  }),
]);

export interface ComposerPackage {
  /** `vendor/package`, as Composer writes it (lower case). */
  name: string;
  /** The pretty version: `v5.4.20`, `7.4.5`, `dev-main`, `2.x-dev`. */
  version: string;
  versionNormalized?: string;
  /** Composer's package type: library, symfony-bundle, composer-plugin, metapackage, … */
  type?: string;
  /** Several licenses are a choice between them (Composer's "disjunctive" licenses). */
  licenses: string[];
  /** Listed under `dev-package-names`: required only for development. */
  dev: boolean;
}

export interface ComposerInstalled {
  packages: ComposerPackage[];
  /** Entries without a name and version, each as `entry N: reason`. */
  malformed: string[];
}

export function parseComposerInstalled(text: string, what: string): ComposerInstalled {
  const installed = parseJson(installedSchema, text.replace(/^\uFEFF/, ''), what, 'INPUT_INVALID');
  const entries = Array.isArray(installed) ? installed : installed.packages;
  const devNames = new Set(Array.isArray(installed) ? [] : (installed['dev-package-names'] ?? []));
  const packages: ComposerPackage[] = [];
  const malformed: string[] = [];
  entries.forEach((entry, index) => {
    let parsed: z.infer<typeof packageSchema>;
    try {
      parsed = parseValue(packageSchema, entry, `entry ${index}`, 'INPUT_INVALID');
    } catch (error) {
      malformed.push(error instanceof Error ? error.message : String(error));
      return;
    }
    const licenses = parsed.license === undefined ? [] : Array.isArray(parsed.license) ? parsed.license : [parsed.license];
    packages.push({
      name: parsed.name,
      version: parsed.version,
      ...(parsed.version_normalized ? { versionNormalized: parsed.version_normalized } : {}),
      ...(parsed.type ? { type: parsed.type } : {}),
      licenses: licenses.filter((license) => license.trim() !== ''),
      dev: devNames.has(parsed.name),
    });
  });
  return { packages, malformed };
}
