import { humanSize } from '../human-size.js';

/** The `inspect --format json` shape, and its table and markdown renderings. */
export interface InspectReport {
  reference: string;
  /** Digest of what the reference names (the index for a multi-arch image), as the registry's Docker-Content-Digest. */
  digest: string;
  mediaType: string;
  platforms?: Array<{ platform: string; digest: string; mediaType: string }>;
  images: Array<{
    platform: string;
    digest: string;
    mediaType: string;
    config: { digest: string; os?: string; architecture?: string; variant?: string; created?: string; labels: Record<string, string> };
    layers: Array<{ digest: string; size: number; mediaType: string }>;
  }>;
}

export function renderInspectTable(report: InspectReport): string {
  const lines = [`Reference:  ${report.reference}`, `Digest:     ${report.digest}`, `MediaType:  ${report.mediaType}`];
  if (report.platforms) {
    lines.push('Platforms:');
    for (const entry of report.platforms) lines.push(`  ${entry.platform.padEnd(20)} ${entry.digest}`);
  }
  for (const image of report.images) {
    lines.push('', `Image ${image.platform}  ${image.digest}`);
    lines.push(`  Config:   ${image.config.digest}`);
    if (image.config.created) lines.push(`  Created:  ${image.config.created}`);
    for (const [key, value] of Object.entries(image.config.labels)) lines.push(`  Label:    ${key}=${value}`);
    const total = image.layers.reduce((sum, layer) => sum + layer.size, 0);
    lines.push(`  Layers:   ${image.layers.length} (${humanSize(total)})`);
    for (const layer of image.layers) lines.push(`    ${layer.digest}  ${humanSize(layer.size).padStart(10)}`);
  }
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderInspectMarkdown(report: InspectReport): string {
  const lines = [`### Drydock inspect: \`${cell(report.reference)}\``, '', `Digest: \`${report.digest}\``, ''];
  lines.push('| Platform | Manifest | Layers | Size |', '| --- | --- | ---: | ---: |');
  for (const image of report.images) {
    const total = image.layers.reduce((sum, layer) => sum + layer.size, 0);
    lines.push(`| ${cell(image.platform)} | \`${image.digest.slice(0, 19)}…\` | ${image.layers.length} | ${humanSize(total)} |`);
  }
  return `${lines.join('\n')}\n`;
}
