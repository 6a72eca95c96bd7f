import { readFileSync } from 'node:fs';

/**
 * Coordinates of the real registries that test/harness/global-setup.ts starts once per jest run.
 * Workers learn where they are through DRYDOCK_TEST_REGISTRIES (a JSON file path).
 */
export interface TestRegistry {
  /** `127.0.0.1:PORT`, as it appears in an image reference. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  auth: 'none' | 'basic' | 'bearer';
  username?: string;
  password?: string;
  /** Token realm (bearer only): `http://127.0.0.1:PORT/token`. */
  tokenUrl?: string;
  /** The `service` the registry names in its Bearer challenge (bearer only). */
  service?: string;
}

export interface TestRegistries {
  plain: TestRegistry;
  basic: TestRegistry;
  bearer: TestRegistry;
}

/** What the harness writes to the file named by DRYDOCK_TEST_REGISTRIES. */
export interface TestRegistriesFile extends TestRegistries {
  tokenServer: { url: string; statsUrl: string };
}

export interface TokenServerStats {
  /** Every request to the realm, granted or not. */
  total: number;
  granted: number;
  denied: number;
  /** Requests per requested scope string (`repository:NAME:pull,push`); a request with no scope counts under "". */
  byScope: Record<string, number>;
  /** Granted token requests per repository name, whatever the actions. */
  byRepository: Record<string, number>;
}

export const REGISTRIES_ENV = 'DRYDOCK_TEST_REGISTRIES';

let cached: TestRegistriesFile | undefined;

function load(): TestRegistriesFile {
  if (cached) return cached;
  const file = process.env[REGISTRIES_ENV];
  if (!file) {
    throw new Error(
      `${REGISTRIES_ENV} is not set: the test registries are started by jest's globalSetup (test/harness/global-setup.ts); run the tests through jest with the package.json config`,
    );
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as TestRegistriesFile;
  return cached;
}

export function testRegistries(): TestRegistries {
  const { plain, basic, bearer } = load();
  return { plain, basic, bearer };
}

/** Counters of the harness token server (the realm of the bearer registry). */
export async function tokenServerStats(): Promise<TokenServerStats> {
  const response = await fetch(load().tokenServer.statsUrl);
  if (!response.ok) throw new Error(`token server stats: HTTP ${response.status}`);
  return (await response.json()) as TokenServerStats;
}
