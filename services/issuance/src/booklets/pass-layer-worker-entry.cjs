// Worker threads do not get the parent's tsx module hooks, so the worker registers tsx itself. The
// CommonJS register runs in this thread (the ESM one starts a hooks thread per worker), and qrcode is
// loaded before it so that its ~30 files skip tsx's hooks: ~0.1 s to start instead of ~0.5 s.
require('qrcode');
const { register } = require('tsx/cjs/api');

register();
require('./pass-layer-worker.ts');
