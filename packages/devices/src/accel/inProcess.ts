import type { ZoChunk, ZoExecutor } from './executor.js';
import { runChunk, type ZoKernelSpec } from './zoKernel.js';

/** Runs every chunk in the calling thread (the default; works in browsers too). */
export const inProcess: ZoExecutor = {
  threads: 1,
  shared: false,
  async run(spec: ZoKernelSpec, chunks: readonly ZoChunk[]): Promise<void> {
    for (const c of chunks) runChunk(spec, c);
  },
};
