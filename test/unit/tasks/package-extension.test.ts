import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

/**
 * `npm run package-extension` as a release runs it from a clean clone: tfx-cli packs
 * tasks/vss-extension.json and every task folder it lists into a .vsix (a zip), each folder
 * whole (task.json, icon.png, the bundle). Runs on a copy of tasks/ so nothing the tree holds
 * besides what the clone would hold (no earlier .vsix, no build/) can make it pass.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const SCRIPT = path.join(ROOT, 'scripts', 'package-extension.mjs');

interface Manifest {
  id: string;
  publisher: string;
  version: string;
  files: Array<{ path: string }>;
  contributions: Array<{ id: string; type: string; properties: { name: string } }>;
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'tasks', 'vss-extension.json'), 'utf8')) as Manifest;
const taskFolders = manifest.files.map((entry) => entry.path);

/** Every entry of a zip, name → content. */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

function cleanCopy(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'drydock-vsix-'));
  cpSync(path.join(ROOT, 'tasks'), path.join(copy, 'tasks'), { recursive: true, filter: (source) => !source.endsWith('.vsix') });
  return copy;
}

function packageExtension(root: string, out: string) {
  return spawnSync(NODE24, [SCRIPT, '--root', root, '--out', out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run package-extension', () => {
  const copies: string[] = [];
  afterAll(() => {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  });

  it('is the one npm script that makes the .vsix', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['package-extension']).toBe('node scripts/package-extension.mjs');
  });

  it('packs every task folder whole, with the task.json the repository holds', async () => {
    for (const folder of taskFolders) {
      if (!existsSync(path.join(ROOT, 'tasks', folder, 'dist', 'index.js'))) throw new Error(`tasks/${folder}/dist is missing: run \`npm run build\` first`);
    }
    const copy = cleanCopy();
    copies.push(copy);
    const vsix = path.join(copy, 'out', 'drydock.vsix');
    const result = packageExtension(copy, vsix);
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });

    const entries = await readZip(vsix);
    expect(taskFolders).toEqual(['DrydockInspectV1', 'DrydockScanV1', 'DrydockUpdateBaseImagesV1', 'DrydockVerifyV1']);
    for (const folder of taskFolders) {
      for (const file of ['task.json', 'icon.png', 'dist/index.js', 'dist/package.json']) {
        const packed = entries.get(`${folder}/${file}`);
        expect(packed === undefined ? `${folder}/${file} missing` : packed.equals(readFileSync(path.join(ROOT, 'tasks', folder, file)))).toBe(true);
      }
      // Chunks ncc split off the bundle go along, or the task fails on its first dynamic import.
      const chunks = [...entries.keys()].filter((name) => name.startsWith(`${folder}/dist/`) && name.endsWith('.index.js'));
      expect(chunks.length).toBeGreaterThan(0);
    }
    // The extension manifest tfx writes contributes each task by its folder.
    const vsomanifest = JSON.parse(entries.get('extension.vsomanifest')!.toString('utf8')) as { contributions: Manifest['contributions'] };
    expect(vsomanifest.contributions.map((c) => [c.type, c.properties.name])).toEqual(taskFolders.map((folder) => ['ms.vss-distributed-task.task', folder]));
    expect(entries.get('extension.vsixmanifest')!.toString('utf8')).toContain(`Id="${manifest.id}" Publisher="${manifest.publisher}" Version="${manifest.version}"`);
  });

  it('refuses a task folder without its bundle, naming the file and the build', () => {
    const copy = cleanCopy();
    copies.push(copy);
    rmSync(path.join(copy, 'tasks', 'DrydockScanV1', 'dist'), { recursive: true, force: true });
    const vsix = path.join(copy, 'drydock.vsix');
    const result = packageExtension(copy, vsix);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'package-extension: missing tasks/DrydockScanV1/dist/index.js, tasks/DrydockScanV1/dist/package.json; run `npm run build` to make the bundles (task.json and icon.png are committed)',
    );
    expect(existsSync(vsix)).toBe(false);
  });
});
