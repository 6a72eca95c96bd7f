import type { FileRequest } from '../image/layer-walker.js';
import { allCatalogers } from './catalogers.js';
import { OS_RELEASE_REQUEST } from './os-packages/os-release.js';

export type { Cataloger, CatalogResult } from './cataloger.js';
export type { OsInfo, Package, PackageType } from './package.js';
export { OS_PACKAGE_TYPES } from './package.js';
export { detectOs } from './os-packages/os-release.js';
export { allCatalogers };

/** Everything the layer walker must capture for OS detection and every cataloger. */
export const FILE_REQUESTS: readonly FileRequest[] = [OS_RELEASE_REQUEST, ...allCatalogers.flatMap((c) => c.requests)];
