import { apkCataloger } from './apk-cataloger.js';
import { cargoCataloger } from './cargo-cataloger.js';
import type { Cataloger } from './cataloger.js';
import { composerCataloger } from './composer-cataloger.js';
import { dotnetCataloger } from './dotnet-cataloger.js';
import { dpkgCataloger } from './dpkg-cataloger.js';
import { gemCataloger } from './gem-cataloger.js';
import { goCataloger } from './go-cataloger.js';
import { javaCataloger } from './java-cataloger.js';
import { npmCataloger } from './npm-cataloger.js';
import { pythonCataloger } from './python-cataloger.js';
import { rpmCataloger } from './rpm-cataloger.js';

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
