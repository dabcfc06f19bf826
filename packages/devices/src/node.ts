// Node-only parts of @tenzo/devices (worker threads).

export { closeExecutors, executorFor, threadsFlag } from './accel/threadsFlag.js';
export { type WorkerPool, type WorkerPoolOptions, workerPool } from './accel/workerPool.js';
export {
  checkRemoteFlag,
  connectRemote,
  DEVICE_FLAG_PREFIXES,
  DEVICE_TOKEN_ENV,
  isRemote,
  REMOTE_DEVICE_PREFIX,
  remoteDeviceFlag,
} from './remote/remoteFlag.js';
