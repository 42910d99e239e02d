export * from './territory';
