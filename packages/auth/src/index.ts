export * from './middleware';
export * from './passwords';
export * from './roles';
export * from './tokens';
