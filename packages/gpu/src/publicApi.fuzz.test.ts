import { anyNumber, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import { GPU } from 'gpu.js';
import * as G from './index.js';

// Generated bad input to @tenzo/gpu's export (issue #22): a typed error or a backend, never a raw
// error or a hang. Valid option lists register a 'cpu'-mode backend (no GL here).

describePublicApi(
  '@tenzo/gpu',
  [
    apiCase({
      name: 'registerGpuBackend',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record(
            {
              mode: fc.oneof(junk, fc.constantFrom('cpu', 'webgl3', '')),
              name: fc.oneof(junk, fc.constant('gpu-fuzz')),
              priority: anyNumber,
              GPU: fc.oneof(junk, fc.constant(GPU)),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (o) => G.registerGpuBackend(o as never),
      ok: () => true,
      runs: 1000,
    }),
  ],
  { hangMs: 10_000 },
);
