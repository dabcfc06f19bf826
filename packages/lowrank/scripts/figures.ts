// Measures the figures quoted in README.md (fixed seeds; same sizes as the tests):
//   npx -y tsx --conditions=@tenzo/source packages/lowrank/scripts/figures.ts
import { type Matrix, matmulNT } from '@tenzo/linalg';
import {
  bugStep,
  fromMatrix,
  implicitBug,
  implicitKsl,
  kslStep,
  type LowRank,
  lskStep,
  orthonormalityError,
  strangStep,
  type TransposeEstimator,
  toDense,
} from '../src/index.js';
import { denseQuery, increment, Rng, relErr, rotatingPath } from '../test/helpers.js';

const fmt = (v: number) => v.toExponential(2);

// 1. exactness after 200 steps on a rotating rank-5 path (40×30, h = 0.01)
{
  const path = rotatingPath(new Rng(11), 40, 30, [5, 4, 3, 2, 1]);
  const h = 0.01;
  const run = (step: (y: LowRank, a: number, b: number) => LowRank) => {
    let y = fromMatrix(path(0), { rank: 5 });
    let ortho = 0;
    for (let i = 0; i < 200; i++) {
      y = step(y, i * h, (i + 1) * h);
      ortho = Math.max(ortho, orthonormalityError(y.U), orthonormalityError(y.V));
    }
    return `rel. error ${fmt(relErr(toDense(y), path(2)))}, max ‖UᵀU − I‖, ‖VᵀV − I‖ ${fmt(ortho)}`;
  };
  console.log(
    'explicit KSL   ',
    run((y, a, b) => kslStep(y, increment(path, a, b))),
  );
  console.log(
    'explicit L-S-K ',
    run((y, a, b) => lskStep(y, increment(path, a, b))),
  );
  console.log(
    'explicit Strang',
    run((y, a, b) => strangStep(y, increment(path, a, (a + b) / 2), increment(path, (a + b) / 2, b))),
  );
  console.log(
    'explicit BUG   ',
    run((y, a, b) => bugStep(y, increment(path, a, b))),
  );
}

// 2. implicit, exact transposed products (24×16, rank 5, M = d_in = 16), 200 steps
async function implicitRun(
  path: (t: number) => Matrix,
  steps: number,
  h: number,
  M: number,
  estimator: TransposeEstimator,
  seed: number,
  kind: 'ksl' | 'bug' = 'ksl',
): Promise<{ err: number; ortho: number; queries: number }> {
  let y = fromMatrix(path(0), { rank: 5 });
  const rng = new Rng(seed);
  let ortho = 0;
  let queries = 0;
  for (let i = 0; i < steps; i++) {
    const f0 = denseQuery(path(i * h));
    const f1 = denseQuery(path((i + 1) * h));
    const res =
      kind === 'ksl'
        ? await implicitKsl(y, f0, f1, { samples: M, estimator, rng })
        : await implicitBug(y, f0, f1, { samples: M, estimator, rng });
    y = res.surrogate;
    queries += res.report.forwardQueries;
    ortho = Math.max(ortho, orthonormalityError(y.U), orthonormalityError(y.V));
  }
  return { err: relErr(toDense(y), path(steps * h)), ortho, queries: queries / steps };
}
{
  const path = rotatingPath(new Rng(21), 24, 16, [5, 4, 3, 2, 1]);
  for (const [kind, est] of [
    ['ksl', 'lstsq'],
    ['ksl', 'orthogonal'],
    ['bug', 'lstsq'],
  ] as const) {
    const r = await implicitRun(path, 200, 0.01, 16, est, 1, kind);
    console.log(
      `implicit ${kind} ${est} M=16`,
      `rel. error ${fmt(r.err)}, ortho ${fmt(r.ortho)}, queries/update ${r.queries}`,
    );
  }

  // 3. Gaussian probes: RMS error over 6 seeds after 5 steps of 0.02, vs M; fitted slope
  const Ms = [4, 16, 64, 256, 1024];
  const xs: number[] = [];
  const ys: number[] = [];
  const row: string[] = [];
  const rowOrth: string[] = [];
  for (const M of Ms) {
    let sq = 0;
    let sqO = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      sq += (await implicitRun(path, 5, 0.02, M, 'gaussian', 100 * M + seed)).err ** 2;
      sqO += (await implicitRun(path, 5, 0.02, M, 'orthogonal', 100 * M + seed)).err ** 2;
    }
    const e = Math.sqrt(sq / 6);
    xs.push(Math.log(M));
    ys.push(Math.log(e));
    row.push(`M=${M}: ${fmt(e)}`);
    rowOrth.push(`M=${M}: ${fmt(Math.sqrt(sqO / 6))}`);
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  console.log('gaussian  ', row.join(', '), `slope ${(num / den).toFixed(3)}`);
  console.log('orthogonal', rowOrth.join(', '));
}

// 4. order of accuracy off the rank-r manifold (as in ksl.test.ts)
{
  const rng = new Rng(5);
  const base = rotatingPath(rng, 14, 12, [3, 2, 1]);
  const other = rotatingPath(rng, 14, 12, [0.3, 0.25, 0.2, 0.15, 0.1, 0.05], 1.3);
  const path = (t: number): Matrix => {
    const a = base(t);
    const b = other(2 * t);
    return { rows: a.rows, cols: a.cols, data: a.data.map((v, i) => v + b.data[i]!) };
  };
  const run = (n: number, kind: 'lie' | 'strang'): Matrix => {
    const h = 0.4 / n;
    let y = fromMatrix(path(0), { rank: 3 });
    for (let i = 0; i < n; i++) {
      const [a, b] = [i * h, (i + 1) * h];
      y =
        kind === 'lie'
          ? kslStep(y, increment(path, a, b))
          : strangStep(y, increment(path, a, (a + b) / 2), increment(path, (a + b) / 2, b));
    }
    return toDense(y);
  };
  const ref = run(1024, 'strang');
  for (const kind of ['lie', 'strang'] as const) {
    const e = [8, 16, 32].map((n) => relErr(run(n, kind), ref));
    console.log(
      kind,
      e.map(fmt).join(' '),
      'orders',
      Math.log2(e[0]! / e[1]!).toFixed(2),
      Math.log2(e[1]! / e[2]!).toFixed(2),
    );
  }
}

// 5. cost of one implicit KSL update at the paper's CIFAR size (512 → 1024), dense matmul device
{
  const rng = new Rng(7);
  const A0 = matmulNT(randnM(rng, 1024, 512), randnM(rng, 512, 512));
  const A1 = { rows: 1024, cols: 512, data: A0.data.map((v, i) => v + 1e-3 * Math.sin(i)) };
  for (const [r, M] of [
    [10, 100],
    [100, 100],
    [10, 1000],
  ] as const) {
    const y = fromMatrix(A0, { rank: r });
    let best = Number.POSITIVE_INFINITY;
    let bestDevice = 0;
    let queries = 0;
    for (let rep = 0; rep < 3; rep++) {
      let device = 0;
      const timed =
        (A: Matrix) =>
        (x: Matrix): Matrix => {
          const t = performance.now();
          const out = denseQuery(A)(x);
          device += performance.now() - t;
          return out;
        };
      const t0 = performance.now();
      const res = await implicitKsl(y, timed(A0), timed(A1), { samples: M, seed: rep });
      const ms = performance.now() - t0;
      queries = res.report.forwardQueries;
      if (ms < best) {
        best = ms;
        bestDevice = device;
      }
    }
    console.log(
      `512→1024 r=${r} M=${M}: ${queries} queries, ${best.toFixed(0)} ms per update, ${(best - bestDevice).toFixed(0)} ms outside the simulated device (best of 3)`,
    );
  }
}

function randnM(rng: Rng, m: number, n: number): Matrix {
  return { rows: m, cols: n, data: rng.fillNormal(new Float64Array(m * n)) as Float64Array };
}
