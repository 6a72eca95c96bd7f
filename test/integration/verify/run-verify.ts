import { runCommand } from '../../../shared/commands/run.js';
import { verify } from '../../../shared/commands/verify.js';
import type { ImageVerification } from '../../../shared/verify/index.js';
import { FakePlatform, type FakeInputs } from '../../harness/fake-platform.js';

export interface VerifyRun {
  code: 0 | 1 | 2;
  platform: FakePlatform;
  /** The JSON report (format json), when the command got as far as writing it. */
  result?: ImageVerification & { reasonCode?: string; reason?: string };
  failed?: string;
}

/** `drydock verify` against a recording platform, as the GitHub action and the CLI run it; no cache folder is touched. */
export async function runVerify(inputs: FakeInputs): Promise<VerifyRun> {
  const platform = new FakePlatform({ inputs: { format: 'json', 'no-cache': true, ...inputs } });
  const code = await runCommand(platform, verify);
  const report = platform.reports[0];
  return {
    code,
    platform,
    ...(report ? { result: JSON.parse(report) as VerifyRun['result'] } : {}),
    ...(platform.failedMessage ? { failed: platform.failedMessage } : {}),
  };
}
