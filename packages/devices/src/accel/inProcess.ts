import type { ZoChunk, ZoExecutor } from './executor.js';
import { elementwiseSetup, type ZoKernelSpec, zoChunk } from './zoKernel.js';

/** Runs every chunk in the calling thread (the default; works in browsers too). */
export const inProcess: ZoExecutor = {
  threads: 1,
  shared: false,
  async run(spec: ZoKernelSpec, chunks: readonly ZoChunk[]): Promise<void> {
    for (const c of chunks)
      if (c.kind === 'setup') elementwiseSetup(spec, c.first, c.last);
      else zoChunk(spec, c.first, c.last, c.chunk);
  },
};
