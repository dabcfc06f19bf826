// Node-only parts of @tenzo/zo (worker threads).
export {
  type WorkerObjective,
  type WorkerObjectiveOptions,
  workerObjective,
} from './pool/workerObjective.js';
