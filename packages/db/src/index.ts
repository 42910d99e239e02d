export * from './database';
export * from './migrations';
export * from './immutable';
export * from './prepared';
