import { apkCataloger } from './os-packages/apk-cataloger.js';
import { cargoCataloger } from './binaries/cargo-cataloger.js';
import type { FileRequest } from '../image/layer-walker.js';
import type { Cataloger } from './cataloger.js';
import { composerCataloger } from './language-packages/composer-cataloger.js';
import { dotnetCataloger } from './language-packages/dotnet-cataloger.js';
import { dpkgCataloger } from './os-packages/dpkg-cataloger.js';
import { gemCataloger } from './language-packages/gem-cataloger.js';
import { goCataloger } from './binaries/go-cataloger.js';
import { javaCataloger } from './language-packages/java-cataloger.js';
import { OS_RELEASE_REQUEST } from './os-packages/os-release.js';
import { npmCataloger } from './language-packages/npm-cataloger.js';
import { pythonCataloger } from './language-packages/python-cataloger.js';
import { rpmCataloger } from './os-packages/rpm-cataloger.js';

/** Every cataloger, OS package databases first. */
export const allCatalogers: readonly Cataloger[] = [
  dpkgCataloger,
  apkCataloger,
  rpmCataloger,
  npmCataloger,
  pythonCataloger,
  goCataloger,
  javaCataloger,
  gemCataloger,
  cargoCataloger,
  dotnetCataloger,
  composerCataloger,
];

/** Everything the layer walker must capture for OS detection and every cataloger. */
export const FILE_REQUESTS: readonly FileRequest[] = [OS_RELEASE_REQUEST, ...allCatalogers.flatMap((c) => c.requests)];
