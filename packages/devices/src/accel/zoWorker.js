// The piscina worker of `workerPool` (@tenzo/devices/node): runs chunks of projected ZO
// estimates and sharded queries. Plain JavaScript, so it loads from the sources as well as from dist.
import { claimChunks } from './zoKernel.js';

/**
 * A worker's part of a run: claims chunks beside the calling thread (see `claimChunks`).
 * @param {{ spec: import('./zoKernel.js').KernelSpec, chunks: { kind?: 'setup' | 'fields' | 'reduce' | 'query', first: number, last: number, chunk: number }[], next: Int32Array }} task
 */
export default function runChunks(task) {
  return claimChunks(task.spec, task.chunks, task.next);
}
