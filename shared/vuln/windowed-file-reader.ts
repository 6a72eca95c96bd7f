import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

interface Window {
  start: number;
  bytes: Buffer;
}

/**
 * A zip file for yauzl, read in 1 MiB windows. yauzl makes one small positioned read per
 * central-directory record, per local header and per entry body: three or four trips through
 * libuv's thread pool for each OSV record, some 200,000 for a Debian export, and a scan sat idle
 * three quarters of the time waiting on them. Both of yauzl's walks go forward (the central
 * directory at the end, the entries from the start), so a few recent windows serve nearly every
 * read; an entry larger than a window is read exactly and not kept.
 */
export class WindowedFileReader extends yauzl.RandomAccessReader {
  private readonly windows: Window[] = [];

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    /** The file's mtime when opened (the offline index's key holds it). */
    readonly mtimeMs: number,
    private readonly windowBytes: number,
    private readonly maxWindows: number,
  ) {
    super();
  }

  static async open(path: string, options: { windowBytes?: number; maxWindows?: number } = {}): Promise<WindowedFileReader> {
    const handle = await open(path, 'r');
    try {
      const { size, mtimeMs } = await handle.stat();
      return new WindowedFileReader(handle, size, mtimeMs, options.windowBytes ?? 1024 * 1024, options.maxWindows ?? 4);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // yauzl reads every central-directory record through here; a window hit answers at once,
    // without the stream pipeline the default read() builds per call.
    const held = this.held(position, position + length);
    if (held !== undefined) {
      held.copy(buffer, offset);
      callback(null);
      return;
    }
    this.slice(position, position + length).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        callback(null);
      },
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let requested = false;
    const bytes = (): Promise<Buffer> => this.slice(start, end);
    return new Readable({
      read() {
        if (requested) return;
        requested = true;
        bytes().then(
          (chunk) => {
            this.push(chunk);
            this.push(null);
          },
          (error: Error) => this.destroy(error),
        );
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    this.windows.length = 0;
    this.handle.close().then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  /** Bytes [start, end) when a window holds them, else undefined (a view: do not write to it). */
  private held(start: number, end: number): Buffer | undefined {
    const index = this.windows.findIndex((w) => start >= w.start && end <= w.start + w.bytes.length);
    if (index === -1) return undefined;
    const window = this.windows[index]!;
    if (index > 0) this.windows.unshift(...this.windows.splice(index, 1));
    return window.bytes.subarray(start - window.start, end - window.start);
  }

  /** Bytes [start, end) of the file, from a window when one holds them (a view: do not write to it). */
  async slice(start: number, end: number): Promise<Buffer> {
    if (start < 0 || end < start || end > this.size) throw new Error(`bytes ${start}-${end} are outside the file (${this.size} bytes)`);
    const held = this.held(start, end);
    if (held !== undefined) return held;
    if (end - start > this.windowBytes) return this.readExact(start, end);
    const bytes = await this.readExact(start, Math.min(this.size, Math.max(end, start + this.windowBytes)));
    this.windows.unshift({ start, bytes });
    if (this.windows.length > this.maxWindows) this.windows.pop();
    return bytes.subarray(0, end - start);
  }

  private async readExact(start: number, end: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + done} of ${this.size}`);
      done += bytesRead;
    }
    return buffer;
  }
}
