// Worker threads do not get the parent's tsx module hooks (Node 20): register tsx's CommonJS loader here,
// then load the TypeScript worker body (same approach as booklets/pass-layer-worker-entry.cjs).
const { register } = require('tsx/cjs/api');

register();
require('./tuple-worker.ts');
