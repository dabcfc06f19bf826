// The piscina worker of `workerPool` (@tenzo/devices/node): runs chunks of projected ZO
// estimates. Plain JavaScript, so it loads from the sources as well as from dist.
import { elementwiseSetup, zoChunk } from './zoKernel.js';

/** @param {{ kind?: 'setup', spec: import('./zoKernel.js').ZoKernelSpec, first: number, last: number, chunk: number }} task */
export default function runChunk(task) {
  if (task.kind === 'setup') elementwiseSetup(task.spec, task.first, task.last);
  else zoChunk(task.spec, task.first, task.last, task.chunk);
  return task.chunk;
}
