import { describe, expect, it } from 'vitest';
import { devicesSuite } from './devices.js';
import { zoSuite } from './zo.js';

describe('zo and devices bench suites (quick mode)', () => {
  it('zoSuite reports a cosine and query counts for every estimator', async () => {
    const rows = await zoSuite({ seed: 1, quick: true });
    expect(rows.length).toBe(7);
    for (const r of rows) {
      expect(r.note).toMatch(/^cos -?\d\.\d{3}, \d+ ω settings, \d+ inputs$/);
      expect(r.medianMs).toBeGreaterThan(0);
    }
    // the layer-local estimator points the right way on a 16×16 mesh (240 phases, q = 20)
    const cos = Number(rows.at(-1)!.note!.slice(4, 9));
    expect(cos).toBeGreaterThan(0.1);
  });

  it('devicesSuite times every simulator', async () => {
    const rows = await devicesSuite({ seed: 1, quick: true });
    expect(rows.length).toBe(7);
    for (const r of rows) expect(r.note).toMatch(/inputs\/s$/);
  });
});
