/**
 * The release, as package.json says (test/unit/version.test.ts holds the two together). A JSON
 * import would be simpler, but ncc's webpack cannot bundle one into an ES module bundle.
 */
export const DRYDOCK_VERSION = '0.1.0';
