import { checkZoRun, type ZoChunk, type ZoExecutor } from './executor.js';
import { type KernelSpec, runChunk } from './zoKernel.js';

/** Runs every chunk in the calling thread (the default; works in browsers too). */
export const inProcess: ZoExecutor = {
  threads: 1,
  shared: false,
  async run(spec: KernelSpec, chunks: readonly ZoChunk[]): Promise<void> {
    checkZoRun('inProcess.run', spec, chunks);
    for (const c of chunks) runChunk(spec, c);
  },
};
