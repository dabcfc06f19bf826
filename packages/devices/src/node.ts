// Node-only parts of @tenzo/devices (worker threads).
export { type WorkerPool, type WorkerPoolOptions, workerPool } from './accel/workerPool.js';
