/**
 * Keeps what the code under test writes to process.stdout between start() and stop(): the
 * platforms' SDKs speak to the runner there (`::warning::`, `##vso[...]`), so that is what tests read.
 */
export class StdoutCapture {
  private chunks: string[] = [];
  private readonly realWrite = process.stdout.write.bind(process.stdout);

  start(): void {
    this.chunks = [];
    process.stdout.write = ((chunk: string | Uint8Array) => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  }

  stop(): void {
    process.stdout.write = this.realWrite;
  }

  text(): string {
    return this.chunks.join('');
  }

  /** Non-empty lines written so far. */
  lines(): string[] {
    return this.text()
      .split(/\r?\n/)
      .filter((line) => line !== '');
  }
}
