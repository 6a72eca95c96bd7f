import type { LayerEntries, LayerFile } from './layer-walker.js';
import { isWithin, normalizeLookupPath, splitPath } from './tar-path.js';

/**
 * The image's final tree, as far as the walked layers captured it: layers applied bottom to top
 * with overlay semantics (whiteouts, opaque dirs, later entries replace earlier ones). Symlinks
 * resolve inside this tree only; nothing here ever looks at the host filesystem.
 */
export interface VisibleFile extends LayerFile {
  layerDigest: string;
}

type Leaf = { kind: 'file'; file: VisibleFile } | { kind: 'symlink'; target: string };

/** A path component. A node with a leaf is a file or symlink; a node without one is a directory. */
interface TreeNode {
  leaf?: Leaf;
  children?: Map<string, TreeNode>;
}

/** Linux's limit on symlinks followed while resolving one path (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

export class ImageFilesystem {
  private readonly root: TreeNode = {};

  private constructor(private readonly layers: readonly LayerEntries[]) {}

  /** Layers bottom first, as listed in the manifest. */
  static fromLayers(layers: LayerEntries[]): ImageFilesystem {
    const fs = new ImageFilesystem(layers);
    for (const layer of layers) fs.apply(layer);
    return fs;
  }

  /** Layer digests bottom first: a package seen in several layers was introduced by the lowest. */
  layerDigests(): string[] {
    return this.layers.map((layer) => layer.layerDigest);
  }

  /** The file visible at `path` in the final image, following symlinks (also in parent dirs) inside the image. */
  file(path: string): VisibleFile | undefined {
    const resolved = this.resolve(path);
    if (resolved === undefined) return undefined;
    const leaf = this.lookup(resolved)?.leaf;
    return leaf?.kind === 'file' ? leaf.file : undefined;
  }

  /** Every visible captured file (at its own path, not via symlinks), sorted by path. */
  files(match?: (path: string) => boolean): VisibleFile[] {
    const out: VisibleFile[] = [];
    const visit = (node: TreeNode): void => {
      if (node.leaf?.kind === 'file' && (match === undefined || match(node.leaf.file.path))) out.push(node.leaf.file);
      if (node.children) for (const child of node.children.values()) visit(child);
    };
    visit(this.root);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The versions of one path layer by layer, bottom first; null where a layer deleted it (whiteout,
   * opaque parent, or replaced it with something that is not a captured file). Layers that leave the
   * path alone are not listed. The path is taken literally (no symlink resolution).
   */
  history(path: string): Array<{ layerDigest: string; file: LayerFile | null }> {
    const wanted = normalizeLookupPath(path);
    const out: Array<{ layerDigest: string; file: LayerFile | null }> = [];
    let present = false;
    for (const layer of this.layers) {
      const file = layer.files.get(wanted);
      if (file) {
        out.push({ layerDigest: layer.layerDigest, file });
        present = true;
      } else if (present && deletes(layer, wanted)) {
        out.push({ layerDigest: layer.layerDigest, file: null });
        present = false;
      }
    }
    return out;
  }

  /** Applies one layer on top of what is there: its deletions hit lower layers only, then its own entries land. */
  private apply(layer: LayerEntries): void {
    for (const dir of layer.opaqueDirs) {
      const node = dir === '' ? this.root : this.lookup(dir);
      if (node) {
        delete node.children;
        delete node.leaf;
      }
    }
    for (const path of layer.whiteouts) this.remove(path);
    for (const [path, target] of layer.symlinks) this.place(path, { kind: 'symlink', target });
    for (const [path, file] of layer.files) this.place(path, { kind: 'file', file: { ...file, layerDigest: layer.layerDigest } });
  }

  private place(path: string, leaf: Leaf): void {
    let node = this.root;
    for (const part of splitPath(path)) {
      // A directory in this layer replaces a file or symlink a lower layer had at that name.
      delete node.leaf;
      node.children ??= new Map();
      let child = node.children.get(part);
      if (!child) {
        child = {};
        node.children.set(part, child);
      }
      node = child;
    }
    // A file or symlink replaces whatever was there, a whole directory included.
    delete node.children;
    node.leaf = leaf;
  }

  private remove(path: string): void {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) return;
    const parent = this.lookup(parts.join('/'));
    parent?.children?.delete(name);
  }

  private lookup(path: string): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    for (const part of splitPath(path)) {
      node = node.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  /**
   * Resolves every symlink on the way to `path`, the way the kernel would inside a chroot at the
   * image root: absolute targets restart at the image root, relative ones at the link's directory,
   * '..' stops at the root. Undefined for a loop (more than 40 links) or a missing component.
   */
  private resolve(path: string): string | undefined {
    const resolved: string[] = [];
    const pending = splitPath(path).reverse(); // a stack: next component last
    let links = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      resolved.push(part);
      const leaf = this.lookup(resolved.join('/'))?.leaf;
      if (leaf?.kind !== 'symlink') continue;
      if (++links > MAX_SYMLINKS) return undefined;
      resolved.pop();
      if (leaf.target.startsWith('/')) resolved.length = 0;
      const target = splitPath(leaf.target);
      for (let i = target.length - 1; i >= 0; i--) pending.push(target[i]!);
    }
    return resolved.join('/');
  }
}

function deletes(layer: LayerEntries, path: string): boolean {
  return (
    layer.whiteouts.some((w) => isWithin(path, w)) ||
    layer.opaqueDirs.some((d) => d !== path && isWithin(path, d)) ||
    [...layer.symlinks.keys()].some((s) => isWithin(path, s))
  );
}
