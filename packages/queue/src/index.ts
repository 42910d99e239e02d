export * from './bullmq-queue';
export * from './in-process-queue';
export * from './job-queue';
export * from './migrations';
export * from './outbox';
