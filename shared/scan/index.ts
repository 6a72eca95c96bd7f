/** The scan folder's door: catalogers, the image catalog and its per-layer cache. */

export type { Cataloger, CatalogResult } from './cataloger.js';
export type { OsInfo, Package, PackageType } from './package.js';
export { OS_PACKAGE_TYPES } from './package.js';
export { detectOs } from './os-packages/os-release.js';
export { allCatalogers, FILE_REQUESTS } from './catalogers.js';
export { packageTypeSchema } from './package.js';
export { packageUrl } from './purl.js';
export { catalogImage, layerInfos, type CatalogImageOptions, type ImageCatalog, type LayerEvent, type LayerInfo, type LayerProgress } from './image-catalog.js';
export { LayerCache, LAYER_CACHE_MAX_IDLE_DAYS } from './layer-cache.js';
export { findBaseImage, type BaseImage } from './base-image.js';
