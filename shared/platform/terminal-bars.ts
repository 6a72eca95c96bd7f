import { humanSize } from '../human-size.js';
import type { Progress } from './platform.js';

interface Writable {
  write(text: string): unknown;
  columns?: number;
}

interface Bar {
  label: string;
  total: number;
  done: number;
}

const REDRAW_MS = 100;

/**
 * Live bars at the bottom of a terminal, one per unit of work in flight (several layers are read
 * at once). Log lines are written above them: the bars are erased, the line written, the bars
 * drawn again. Redraws are throttled so a fast stream does not flood the terminal.
 */
export class TerminalBars {
  private readonly bars: Bar[] = [];
  private drawn = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly out: Writable) {}

  start(label: string, total: number): Progress {
    const bar: Bar = { label, total: Math.max(total, 1), done: 0 };
    this.bars.push(bar);
    this.schedule();
    return {
      live: true,
      advance: (amount) => {
        bar.done = Math.min(bar.total, bar.done + amount);
        this.schedule();
      },
      done: (summary) => {
        const index = this.bars.indexOf(bar);
        if (index !== -1) this.bars.splice(index, 1);
        this.log(summary);
      },
    };
  }

  /** Writes a line above the bars. */
  log(text: string): void {
    this.erase();
    this.out.write(`${text}\n`);
    this.draw();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.erase();
      this.draw();
    }, REDRAW_MS);
    this.timer.unref?.();
  }

  private erase(): void {
    // Up to the first bar's line, then clear to the end of the screen.
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    const columns = this.out.columns || 80; // 0 when the terminal does not say
    for (const bar of this.bars) {
      const ratio = bar.done / bar.total;
      const counts = ` ${Math.floor(ratio * 100)
        .toString()
        .padStart(3)}% ${humanSize(bar.done)}/${humanSize(bar.total)}`;
      const labelWidth = Math.min(bar.label.length, Math.max(10, Math.floor(columns / 3)));
      const width = Math.max(10, columns - labelWidth - counts.length - 4);
      const filled = Math.round(ratio * width);
      this.out.write(`${bar.label.slice(0, labelWidth)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${counts}\n`);
    }
    this.drawn = this.bars.length;
  }
}
