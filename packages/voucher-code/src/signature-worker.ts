import { type KeyObject, verify } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** One Ed25519 check: the signed bytes, the signature and the public key that should have made it. */
export interface SignatureCheck {
  message: Uint8Array;
  signature: Uint8Array;
  publicKey: KeyObject;
}

// The worker's whole program, plain CommonJS so it runs the same under tsx, mocha or a build: it keeps the
// public keys it was sent by number and answers each batch with one boolean per check, in order.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ batch, newKeys, checks }) => {
  for (const [id, der] of newKeys) keys.set(id, createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }));
  const results = checks.map(([keyId, message, signature]) => {
    try {
      return verify(null, message, keys.get(keyId), signature);
    } catch {
      return false;
    }
  });
  parentPort.postMessage({ batch, results });
});
`;

interface Pending {
  checks: SignatureCheck[];
  resolve: (results: boolean[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Ed25519 signature checks on one worker thread, so that a server's event loop does not spend its time on
 * them (a QR payload's check is about a fifth of a redemption's CPU on the main thread). Checks asked for
 * while the worker is busy leave together in its next message, so the cost of passing messages between
 * threads is shared by a group. The worker starts on first use and never keeps the process alive; if it
 * dies, the checks in flight fail and the next call starts a new one.
 */
export class SignatureWorker {
  private worker: Worker | undefined;
  private keyIds = new WeakMap<KeyObject, number>();
  private nextKeyId = 0;
  private nextBatch = 0;
  private readonly inFlight = new Map<number, Pending[]>();
  private queue: Pending[] = [];
  private busy = false;

  /** One result per check, in order: true when the signature is valid. */
  verify(checks: SignatureCheck[]): Promise<boolean[]> {
    if (checks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ checks, resolve, reject });
      if (!this.busy) this.send();
    });
  }

  /** Stops the worker (tests and shutdown): checks in flight fail; a later call starts a new worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.forget(worker, new Error('signature worker closed'));
    await worker.terminate();
  }

  private send(): void {
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const worker = this.started();
    const newKeys: [number, Buffer][] = [];
    const checks: [number, Uint8Array, Uint8Array][] = [];
    for (const pending of group) {
      for (const check of pending.checks) {
        let keyId = this.keyIds.get(check.publicKey);
        if (keyId === undefined) {
          keyId = this.nextKeyId++;
          this.keyIds.set(check.publicKey, keyId);
          newKeys.push([keyId, check.publicKey.export({ format: 'der', type: 'spki' })]);
        }
        checks.push([keyId, check.message, check.signature]);
      }
    }
    const batch = this.nextBatch++;
    this.inFlight.set(batch, group);
    worker.postMessage({ batch, newKeys, checks });
  }

  /** Drops a worker that stopped or is stopping: its checks fail, and a new worker is sent every key again. */
  private forget(worker: Worker, error: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.keyIds = new WeakMap();
    this.nextKeyId = 0;
    for (const group of this.inFlight.values()) for (const pending of group) pending.reject(error);
    this.inFlight.clear();
    this.busy = false;
    if (this.queue.length > 0) this.send();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', ({ batch, results }: { batch: number; results: boolean[] }) => {
      if (this.worker !== worker) return; // an answer that arrived after close: its callers already failed
      const group = this.inFlight.get(batch);
      this.inFlight.delete(batch);
      let offset = 0;
      for (const pending of group ?? []) {
        pending.resolve(results.slice(offset, offset + pending.checks.length));
        offset += pending.checks.length;
      }
      this.send();
    });
    worker.on('error', (error) => this.forget(worker, error));
    worker.on('exit', (code) => this.forget(worker, new Error(`signature worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

/** The same checks on the calling thread (embedded mode, tools, tests). */
export function verifyHere(checks: SignatureCheck[]): boolean[] {
  return checks.map(({ message, signature, publicKey }) => verify(null, message, publicKey, signature));
}
