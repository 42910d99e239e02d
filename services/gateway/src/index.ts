export * from './app';
export * from './context';
export * from './modules';
export * from './server';
