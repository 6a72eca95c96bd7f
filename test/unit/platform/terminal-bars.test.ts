import { jest } from '@jest/globals';
import { TerminalBars } from '../../../shared/platform/terminal-bars.js';

function terminal(): { out: { write(text: string): void; columns: number }; text: () => string } {
  const chunks: string[] = [];
  return { out: { write: (text: string) => void chunks.push(text), columns: 60 }, text: () => chunks.join('') };
}

describe('TerminalBars', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('draws a bar per unit of work, throttled, and leaves the summary line when done', () => {
    const { out, text } = terminal();
    const bars = new TerminalBars(out);
    const layer = bars.start('layer 1/2 abc', 2 * 1024 * 1024);
    layer.advance(1024 * 1024);
    layer.advance(10);
    expect(text()).toBe(''); // nothing until the redraw tick
    jest.advanceTimersByTime(100);
    const drawn = text();
    expect(drawn).toMatch(/^layer 1\/2 abc \[#+-+\] {2}50% 1\.0 MiB\/2\.0 MiB\n$/);
    expect(drawn.length).toBeLessThanOrEqual(61);
    layer.done('layer 1/2 abc 2.0 MiB -> 5.0 MiB in 0.3s');
    // The bar is erased (cursor up one line, clear below) and replaced by the summary.
    expect(text().slice(drawn.length)).toBe('\x1b[1F\x1b[Jlayer 1/2 abc 2.0 MiB -> 5.0 MiB in 0.3s\n');
  });

  it('writes log lines above the bars in flight', () => {
    const { out, text } = terminal();
    const bars = new TerminalBars(out);
    bars.start('one', 100).advance(100);
    bars.start('two', 100);
    jest.advanceTimersByTime(100);
    const before = text().length;
    bars.log('warning: something');
    const after = text().slice(before);
    expect(after.startsWith('\x1b[2F\x1b[Jwarning: something\n')).toBe(true);
    expect(after.split('\n').filter(Boolean).map((line) => line.split(' [')[0])).toEqual(['\x1b[2F\x1b[Jwarning: something', 'one', 'two']);
  });
});
