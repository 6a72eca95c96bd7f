import { openImageSource } from '../image/open-source.js';
import { resolveReference } from '../image/resolve.js';
import { formatPlatform } from '../image/platform-selector.js';
import { renderInspectMarkdown, renderInspectTable, type InspectReport } from '../report/index.js';
import type { Platform } from '../platform/platform.js';
import type { Command } from './run.js';
import { readChoice, readImageInputs } from './inputs.js';

/** `drydock inspect`: what skopeo inspect shows, through every source and both CI platforms. */
export const inspect: Command = async (platform: Platform) => {
  const inputs = readImageInputs(platform);
  const format = readChoice(platform, 'format', ['table', 'json'] as const, 'table');
  const source = await openImageSource(inputs.image, {
    insecureRegistries: inputs.insecureRegistries,
    credentials: await platform.registryCredentials(),
  });
  try {
    const resolved = await resolveReference(source, inputs.platform);
    const report: InspectReport = {
      reference: inputs.image,
      digest: resolved.root.digest,
      mediaType: resolved.index ? resolved.index.mediaType ?? resolved.root.mediaType : resolved.images[0]!.mediaType,
      ...(resolved.index
        ? {
            platforms: resolved.index.manifests.map((descriptor) => ({
              platform: formatPlatform(descriptor.platform),
              digest: descriptor.digest,
              mediaType: descriptor.mediaType,
            })),
          }
        : {}),
      images: resolved.images.map((image) => ({
        platform: image.platform,
        digest: image.digest,
        mediaType: image.mediaType,
        config: {
          digest: image.configDescriptor.digest,
          ...(image.config.os ? { os: image.config.os } : {}),
          ...(image.config.architecture ? { architecture: image.config.architecture } : {}),
          ...(image.config.variant ? { variant: image.config.variant } : {}),
          ...(image.config.created ? { created: image.config.created } : {}),
          labels: image.config.config?.Labels ?? {},
        },
        layers: image.layers.map((layer) => ({ digest: layer.digest, size: layer.size, mediaType: layer.mediaType })),
      })),
    };
    const json = JSON.stringify(report, null, 2);
    platform.setOutput('digest', report.digest);
    platform.setOutput('report', JSON.stringify(report));
    platform.writeReport(format === 'json' ? json : renderInspectTable(report));
    await platform.appendSummary(renderInspectMarkdown(report));

  } finally {
    await source.close();
  }
};
