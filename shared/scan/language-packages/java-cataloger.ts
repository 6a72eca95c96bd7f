import { type Cataloger, type CatalogResult, MiB } from '../cataloger.js';
import type { ImageFilesystem } from '../../image/image-filesystem.js';
import { analyzeJavaArchive, isJavaArchive, type JavaAnalysis, type JavaArtifact } from './java-archive.js';
import type { Package } from '../package.js';
import { packageUrl } from '../purl.js';

function isJavaAnalysis(value: unknown): value is JavaAnalysis {
  return typeof value === 'object' && value !== null && ((value as JavaAnalysis).kind === 'java' || (value as JavaAnalysis).kind === 'java-error');
}

/**
 * Maven names packages `groupId:artifactId`, as OSV's Maven ecosystem does. A bundle known only by
 * its `Bundle-SymbolicName` has no group; the symbolic name stands in for it (the Maven convention
 * of `junit:junit`), since a Maven purl requires a namespace.
 */
export function javaPackage(artifact: JavaArtifact, layerDigest: string): Package {
  const groupId = artifact.groupId ?? artifact.artifactId;
  return {
    name: `${groupId}:${artifact.artifactId}`,
    version: artifact.version,
    type: 'maven',
    purl: packageUrl('maven', groupId, artifact.artifactId, artifact.version),
    layerDigest,
    locations: [artifact.location],
    metadata: { evidence: artifact.evidence },
  };
}

export const javaCataloger: Cataloger = {
  name: 'java',
  requests: [{ match: isJavaArchive, maxFileSize: 256 * MiB, analyze: (path, stream) => analyzeJavaArchive(path, stream) }],
  async catalog(fs: ImageFilesystem): Promise<CatalogResult> {
    const packages: Package[] = [];
    const warnings: string[] = [];
    const notes: string[] = [];
    for (const file of fs.files(isJavaArchive)) {
      if (!isJavaAnalysis(file.analysis)) continue;
      if (file.analysis.kind === 'java-error') {
        warnings.push(`${file.path} in layer ${file.layerDigest}: ${file.analysis.message}`);
        continue;
      }
      packages.push(...file.analysis.artifacts.map((a) => javaPackage(a, file.layerDigest)));
      notes.push(...(file.analysis.notes ?? []).map((note) => `${note} (layer ${file.layerDigest})`));
    }
    return { packages, warnings, notes };
  },
};
