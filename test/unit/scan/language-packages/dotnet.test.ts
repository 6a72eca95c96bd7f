// .NET apps: NuGet packages from `<App>.deps.json`, attributed to the layer that wrote the file.
import { readFileSync } from 'node:fs';
import { dotnetCataloger, isDepsJson } from '../../../../shared/scan/language-packages/dotnet-cataloger.js';
import { parseDepsJson } from '../../../../shared/scan/language-packages/dotnet-deps.js';
import { digest, imageOf } from '../layers.js';

// Modelled on an ASP.NET Core 8 web app's deps.json: project and reference entries beside packages.
const WEBAPP = readFileSync(new URL('../../../fixtures/scan/dotnet/WebApp.deps.json', import.meta.url), 'utf8');

// What the runtime itself ships (shared/Microsoft.NETCore.App/<v>/Microsoft.NETCore.App.deps.json): no NuGet packages.
const RUNTIME = JSON.stringify({
  runtimeTarget: { name: '.NETCoreApp,Version=v8.0/linux-x64', signature: '' },
  compilationOptions: {},
  targets: { '.NETCoreApp,Version=v8.0': {}, '.NETCoreApp,Version=v8.0/linux-x64': { 'Microsoft.NETCore.App.Runtime.linux-x64/8.0.8': { runtime: { 'System.Text.Json.dll': { assemblyVersion: '8.0.0.0', fileVersion: '8.0.824.36612' } } } } },
  libraries: { 'Microsoft.NETCore.App.Runtime.linux-x64/8.0.8': { type: 'runtimepack', serviceable: false, sha512: '' } },
});

const WEBAPP_PACKAGES = [
  ['Microsoft.AspNetCore.Authentication.JwtBearer', '8.0.8'],
  ['Microsoft.IdentityModel.Protocols.OpenIdConnect', '7.1.2'],
  ['System.IdentityModel.Tokens.Jwt', '7.1.2'],
  ['Npgsql', '8.0.3'],
  ['Microsoft.Extensions.Logging.Abstractions', '8.0.0'],
  ['Serilog.AspNetCore', '8.0.1'],
  ['Serilog', '3.1.1'],
  ['Swashbuckle.AspNetCore', '6.4.0'],
  ['System.Text.Json', '8.0.4'],
];

describe('deps.json', () => {
  it('matches <name>.deps.json files only', () => {
    expect(isDepsJson('app/WebApp.deps.json')).toBe(true);
    expect(isDepsJson('usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/Microsoft.NETCore.App.deps.json')).toBe(true);
    expect(isDepsJson('app/.deps.json')).toBe(false);
    expect(isDepsJson('app/WebApp.runtimeconfig.json')).toBe(false);
    expect(isDepsJson('app/deps.json')).toBe(false);
  });

  it('keeps package libraries, never project, reference or runtimepack ones', () => {
    const deps = parseDepsJson(WEBAPP, 'WebApp.deps.json');
    expect(deps.runtimeTarget).toBe('.NETCoreApp,Version=v8.0');
    expect(deps.packages.map((p) => [p.name, p.version])).toEqual(WEBAPP_PACKAGES);
    expect(deps.packages[3]).toMatchObject({ name: 'Npgsql', path: 'npgsql/8.0.3', sha512: expect.stringMatching(/^sha512-[A-Za-z0-9+/]{86}==$/) });
    expect(deps.malformed).toEqual([]);
    expect(parseDepsJson(RUNTIME, 'runtime').packages).toEqual([]);
    expect(parseDepsJson(`\uFEFF${JSON.stringify({ libraries: { 'Dapper/2.1.35': { type: 'package' } } })}`, 'bom').packages).toEqual([{ name: 'Dapper', version: '2.1.35' }]);
  });

  it('names the file and the field when the JSON is malformed', () => {
    expect(() => parseDepsJson('{"libraries": {"A/1.0.0": {"serviceable": true}}}', 'app/A.deps.json')).toThrow('app/A.deps.json is malformed: field "libraries.A/1.0.0.type"');
    expect(() => parseDepsJson('{"libraries": [', 'app/B.deps.json')).toThrow(/^app\/B\.deps\.json is not valid JSON/);
  });
});

describe('dotnet cataloger', () => {
  it('lists NuGet packages with purls, in the layer that wrote each deps.json', async () => {
    const fs = imageOf(
      { digest: digest('1'), files: { 'usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.8/Microsoft.NETCore.App.deps.json': RUNTIME, 'app/WebApp.deps.json': '{}' } },
      { digest: digest('2'), files: { 'app/WebApp.deps.json': WEBAPP, 'app/WebApp.dll': 'MZ' } },
      {
        digest: digest('3'),
        files: {
          'srv/worker/Worker.deps.json': JSON.stringify({ libraries: { 'Worker/1.0.0': { type: 'project' }, 'Newtonsoft.Json/13.0.1': { type: 'package', sha512: 'sha512-x' }, NoVersion: { type: 'package' } } }),
          'srv/broken/Broken.deps.json': '{"libraries": {',
        },
      },
    );
    const result = await dotnetCataloger.catalog(fs, undefined);
    expect(result.packages.map((p) => [p.name, p.version, p.purl, p.layerDigest, p.locations])).toEqual([
      ...WEBAPP_PACKAGES.map(([name, version]) => [name, version, `pkg:nuget/${name}@${version}`, digest('2'), ['app/WebApp.deps.json']]),
      ['Newtonsoft.Json', '13.0.1', 'pkg:nuget/Newtonsoft.Json@13.0.1', digest('3'), ['srv/worker/Worker.deps.json']],
    ]);
    expect(result.packages[0]!.type).toBe('nuget');
    expect(result.packages[0]!.metadata).toMatchObject({ runtimeTarget: '.NETCoreApp,Version=v8.0' });
    expect(result.warnings).toEqual([
      expect.stringMatching(new RegExp(`^srv/broken/Broken\\.deps\\.json in layer ${digest('3')} is not valid JSON`)),
      `srv/worker/Worker.deps.json in layer ${digest('3')}: libraries not named Name/Version: NoVersion`,
    ]);
  });

  it('warns about a deps.json over the size cap instead of skipping it silently', async () => {
    const fs = imageOf({ digest: digest('4'), files: { 'app/Big.deps.json': { mode: 0o644 } } });
    expect(await dotnetCataloger.catalog(fs, undefined)).toEqual({ packages: [], warnings: ['app/Big.deps.json: not read (larger than the size cap)'] });
  });
});
