import { createRequire } from 'node:module';
import { dirname } from 'node:path';

type Tf = typeof import('@tensorflow/tfjs-core');

let loaded: Promise<Tf> | null = null;

/**
 * tfjs-core with the cpu and wasm backends, loaded once. The wasm backend is pinned to one
 * thread (the comparisons are single-threaded) and reads its .wasm files from the
 * installed package, so nothing is fetched.
 */
export function loadTfjs(): Promise<Tf> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    // the union package's CJS bundle: tfjs-core alone registers no gradients (the training
    // step needs them), and its ESM build cannot be loaded by Node directly
    const tf = require('@tensorflow/tfjs') as Tf;
    require('@tensorflow/tfjs-backend-cpu');
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(
      `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
    );
    wasm.setThreadsCount(1);
    return tf;
  })();
  return loaded;
}

/** Switches tfjs to `backend` ('cpu' | 'wasm') and waits until it is ready. */
export async function useTfjsBackend(backend: 'cpu' | 'wasm'): Promise<Tf> {
  const tf = await loadTfjs();
  if (tf.getBackend() !== backend) {
    // IS_TEST only while the backend starts: it silences the cpu backend's "install tfjs-node"
    // banner (left on, it would also turn on tfjs's per-kernel leak checks)
    tf.env().set('IS_TEST', true);
    const ok = await tf.setBackend(backend);
    tf.env().set('IS_TEST', false);
    if (!ok) throw new Error(`tfjs backend '${backend}' failed to initialise`);
  }
  await tf.ready();
  return tf;
}
