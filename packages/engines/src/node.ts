// Node-only parts of @tenzo/engines: worker threads (piscina) and BullMQ on Redis.
export {
  type BullmqEngine,
  type BullmqEngineOptions,
  type BullmqEngineStats,
  bullmqEngine,
} from './bullmq/bullmqEngine.js';
export type { RedisConnection } from './bullmq/connection.js';
export {
  type EvaluationWorker,
  type EvaluationWorkerOptions,
  startEvaluationWorker,
} from './bullmq/evaluationWorker.js';
export type { EvaluationJobData, EvaluationJobResult } from './bullmq/jobs.js';
export { redisReachable } from './bullmq/reachable.js';
export { type FunctionModule, type ResolvedModule, resolveModule } from './module/functionModule.js';
export { type ThreadEngine, type ThreadEngineOptions, threadEngine } from './threads/threadEngine.js';
