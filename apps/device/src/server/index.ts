// The server as a module (`@tenzo/device-app/server`), for tests and benchmarks that start it in-process.
export {
  type DeviceServer,
  type DeviceServerOptions,
  type ServerStats,
  startDeviceServer,
} from './deviceServer.js';
export { type FaultCounts, FaultInjector, type FaultOptions } from './faults.js';
export { buildSimulator, initSegments, SERVED_DEVICES, type ServedDevice } from './simulators.js';
