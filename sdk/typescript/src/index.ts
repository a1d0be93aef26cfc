// Orchestrator's TypeScript SDK: an agent worker and a client of the run service.
//
//     import { Worker } from 'orchestrator-sdk';
//     const worker = new Worker('node', { server: '127.0.0.1:50051', concurrency: 8 });
//     worker.task(async (task) => ({ summary: task.instructions.slice(0, 100) }));
//     await worker.run();

export { Client, TimeoutError, type AgentStatus, type ClientOptions, type Run, type RunEvent, type RunInput, type RunTask, type ServiceError, type TaskInput, type WatchOptions } from './client';
export { target, type ConnectionOptions, type Target } from './connection';
export { fromStruct, fromValue, toStruct, toValue, type Json, type Plain } from './json';
export { LOADER_OPTIONS, services, type Services } from './proto';
export { VERSION } from './version';
export { Abandoned, Continue, Fail, Spawn, Task, Worker, stderrLogger, type Handler, type Logger, type Usage, type WorkerOptions } from './worker';
export { status } from '@grpc/grpc-js';
