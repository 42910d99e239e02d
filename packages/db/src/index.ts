export * from './database';
export * from './migrations';
export * from './immutable';
export * from './prepared';
export * from './grouped-calls';
