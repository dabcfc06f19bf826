// The piscina worker of `workerPool` (@tenzo/devices/node): runs chunks of projected ZO
// estimates. Plain JavaScript, so it loads from the sources as well as from dist.
import { runChunk } from './zoKernel.js';

/**
 * Runs a thread's share of an estimate's chunks, in order.
 * @param {{ spec: import('./zoKernel.js').ZoKernelSpec, chunks: { kind?: 'setup' | 'reduce', first: number, last: number, chunk: number }[] }} task
 */
export default function runChunks(task) {
  for (const c of task.chunks) runChunk(task.spec, c);
  return task.chunks.length;
}
