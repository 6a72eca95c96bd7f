import { truncateWords } from '../../../shared/report/layers.js';

describe('truncateWords', () => {
  it('cuts after the last whole word that fits and marks the cut', () => {
    expect(truncateWords('RUN apt-get update && apt-get install -y openssl', 20)).toBe('RUN apt-get update…');
    expect(truncateWords('short', 20)).toBe('short');
  });

  it('cuts a long first word where it must rather than leave almost nothing', () => {
    expect(truncateWords('#1 2804bad6fe94 ADD file:b2b1bd2c8d4e in /', 14)).toBe('#1 2804bad6fe…');
  });
});
