import { parentPort } from 'node:worker_threads';
import { buildPassLayer } from './pass-layer';
import type { PassLayerReply, PassLayerRequest } from './pass-layer-builder';

// Body of the worker threads started by createPassLayerBuilder (through pass-layer-worker-entry.cjs).
const port = parentPort;
if (!port) throw new Error('pass-layer-worker must run in a worker thread');

port.on('message', (request: PassLayerRequest) => {
  let reply: PassLayerReply;
  try {
    reply = { id: request.id, layers: request.pages.map(buildPassLayer) };
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.postMessage(
    reply,
    reply.layers.map((layer) => layer.buffer as ArrayBuffer),
  );
});
// Until this arrives the pool builds layers in the calling thread rather than queue them here.
port.postMessage({ ready: true } satisfies PassLayerReply);
