// The piscina worker of `workerPool` (@tenzo/devices/node): runs chunks of projected ZO
// estimates. Plain JavaScript, so it loads from the sources as well as from dist.
import { elementwiseSetup, zoChunk } from './zoKernel.js';

/**
 * Runs a thread's share of an estimate's chunks, in order.
 * @param {{ spec: import('./zoKernel.js').ZoKernelSpec, chunks: { kind?: 'setup', first: number, last: number, chunk: number }[] }} task
 */
export default function runChunks(task) {
  for (const c of task.chunks) {
    if (c.kind === 'setup') elementwiseSetup(task.spec, c.first, c.last);
    else zoChunk(task.spec, c.first, c.last, c.chunk);
  }
  return task.chunks.length;
}
