export * from './api-router';
export * from './csv';
export * from './idempotency';
export * from './pagination';
export * from './problem-middleware';
export * from './request-context';
export * from './schemas';
export * from './service-module';
