import { ShapeError } from '@tenzo/core';
import { inProcessEngine } from '@tenzo/engines';
import { describe, expect, it } from 'vitest';
import { engineObjective } from './engineObjective.js';
import { countedObjective } from './objective.js';
import { rosenbrock } from './testFunctions.js';

describe('engineObjective', () => {
  it('is the engine as a BatchObjective: values in point order, counted by countedObjective', async () => {
    const dim = 4;
    const f = rosenbrock(dim).f;
    const engine = inProcessEngine((p, c, d) =>
      Array.from({ length: c }, (_, i) => f(p.subarray(i * d, (i + 1) * d) as Float64Array)),
    );
    const g = countedObjective(engineObjective(engine, dim));
    const points = Float64Array.from({ length: 5 * dim }, (_, k) => Math.sin(k));
    const v = await g(points, 5);
    for (let i = 0; i < 5; i++) expect(v[i]).toBe(f(points.subarray(i * dim, (i + 1) * dim)));
    expect(g.evaluations).toBe(5);
    await expect(engineObjective(engine, dim)(points, 4)).rejects.toThrow(ShapeError);
    expect(() => engineObjective(engine, 0)).toThrow(/engineObjective: dim/);
  });
});
