import { anyNumber, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as E from './index.js';
import * as N from './node.js';

// Generated bad input to every export of @tenzo/engines (issue #22): a typed error or a correct
// result, never a raw error, NaN from finite input, or a hang. The thread and BullMQ engines are
// given bad options only (valid ones would start threads or connect to Redis).

const sum = (p: Int32Array | Float64Array, count: number, dim: number) =>
  Float64Array.from({ length: count }, (_, i) => {
    let t = 0;
    for (let j = 0; j < dim; j++) t += p[i * dim + j]!;
    return t;
  });
const points = fc.oneof(
  junk,
  fc.constant(new Float64Array([1, 2, 3, 4])),
  fc.constant(new Int32Array([1, 2, 3])),
  fc.constant(new Float32Array(4)),
  fc.constant([1, 2]),
);
const badModule = fc.oneof(
  junk,
  fc.record(
    {
      module: fc.oneof(junk, fc.constant('/nonexistent/tenzo-module.mjs')),
      export: junk,
      kind: fc.oneof(junk, fc.constant('batch')),
      threads: anySize,
      chunk: anySize,
    },
    { requiredKeys: [] },
  ),
);

describePublicApi('@tenzo/engines', [
  apiCase({
    name: 'inProcessEngine',
    args: fc.tuple(fc.oneof(junk, fc.constant(sum))),
    call: (f) => E.inProcessEngine(f as never),
    ok: () => true,
    runs: 80,
  }),
  apiCase({
    name: 'inProcessEngine.evaluate',
    args: fc.tuple(points, anySize, anySize),
    call: (p, c, d) => E.inProcessEngine(sum).evaluate(p as never, c as number, d as number),
    runs: 200,
  }),
  apiCase({
    name: 'checkBatch',
    args: fc.tuple(fc.oneof(junk, fc.constant('f')), points, anySize, anySize),
    call: (n, p, c, d) => E.checkBatch(n as string, p, c as number, d as number),
    runs: 150,
  }),
  apiCase({
    name: 'splitBatch',
    args: fc.tuple(anySize, anySize),
    call: (c, s) => E.splitBatch(c as number, s as number),
    runs: 150,
  }),
  apiCase({
    name: 'checkValues',
    args: fc.tuple(
      fc.oneof(junk, fc.constant('f')),
      fc.oneof(points, fc.constant(new Float64Array([Number.NaN]))),
      anySize,
    ),
    call: (n, v, c) => E.checkValues(n as string, v, c as number),
    runs: 150,
  }),
  apiCase({
    name: 'evaluationFailure',
    args: fc.tuple(fc.oneof(junk, fc.constant('f')), fc.oneof(junk, fc.constant(new Error('x')))),
    call: (n, e) => E.evaluationFailure(n as string, e),
    ok: () => true,
    runs: 80,
  }),
  apiCase({
    name: 'threadEngine',
    args: fc.tuple(badModule),
    call: (o) => N.threadEngine(o as never),
    runs: 100,
  }),
  apiCase({
    name: 'resolveModule',
    args: fc.tuple(fc.oneof(junk, fc.constant('f')), badModule),
    call: (n, o) => N.resolveModule(n as string, o as never),
    runs: 100,
  }),
  apiCase({
    name: 'bullmqEngine',
    args: fc.tuple(
      fc.oneof(
        junk,
        fc.record(
          {
            connection: junk,
            queue: junk,
            runId: fc.oneof(junk, fc.constant('a b/c')),
            chunk: anySize,
            attempts: anySize,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    call: (o) => N.bullmqEngine(o as never),
    runs: 80,
  }),
  apiCase({
    name: 'redisReachable',
    args: fc.tuple(fc.oneof(junk, fc.constant('not a url')), anyNumber),
    call: (u, t) => N.redisReachable(u as string, t as number),
    ok: () => true,
    runs: 40,
  }),
]);
