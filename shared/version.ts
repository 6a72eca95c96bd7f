import packageJson from '../package.json' with { type: 'json' };

/** The release and where it lives, from package.json (scripts/build.mjs stages it beside the sources for ncc). */
export const DRYDOCK_VERSION: string = packageJson.version;
export const DRYDOCK_HOMEPAGE: string | undefined = (packageJson as { homepage?: string }).homepage;
