import { expect } from 'chai';
import { generateVoucherCode } from './generate-voucher-code';
import { readVoucherInput, readVoucherInputs } from './parse-voucher-input';
import { SignatureWorker, verifyHere } from './signature-worker';
import { prepareVoucherPayloadCheck, signVoucherPayload } from './voucher-payload';
import { createKeyring } from './voucher-signing-keys';
import { buildSigningKey } from './voucher-test-fixtures';

describe('SignatureWorker', () => {
  const k1 = buildSigningKey({ kid: 'K1' });
  const k2 = buildSigningKey({ kid: 'K2' });
  const keyring = createKeyring([
    { kid: 'K1', publicKey: k1.publicKeyPem },
    { kid: 'K2', publicKey: k2.publicKeyPem },
  ]);
  const CODES = [generateVoucherCode(), generateVoucherCode(), generateVoucherCode()];
  let worker: SignatureWorker;

  const signed = (code: string, key = k1, kid = 'K1') =>
    signVoucherPayload(code, { kid, privateKey: key.privateKeyPem });
  /** The same payload with one signature symbol changed. */
  const forged = (payload: string) =>
    `${payload.slice(0, -2)}${payload.at(-2) === '0' ? '1' : '0'}${payload.at(-1)}`;
  const checkOf = (payload: string) => {
    const prepared = prepareVoucherPayloadCheck(payload, keyring);
    if (!('check' in prepared)) throw new Error(`not a well-formed payload: ${payload}`);
    return prepared.check;
  };

  beforeEach(() => {
    worker = new SignatureWorker();
  });
  afterEach(() => worker.close());

  it('answers one verdict per check, in order, under several keys', async () => {
    const valid1 = signed(CODES[0]!);
    const valid2 = signed(CODES[1]!, k2, 'K2');
    // K2's signature presented under K1: refused.
    const wrongKey = signed(CODES[2]!, k2, 'K2').replace('.K2.', '.K1.');
    const checks = [valid1, forged(valid1), valid2, wrongKey].map(checkOf);
    expect(await worker.verify(checks)).to.deep.equal([true, false, true, false]);
    expect(verifyHere(checks)).to.deep.equal([true, false, true, false]);
  });

  it('gives each caller its own verdicts when calls arrive while it is busy', async () => {
    const payloads = CODES.flatMap((code) => [signed(code), forged(signed(code))]);
    const calls = payloads.map((payload) => worker.verify([checkOf(payload)]));
    calls.push(worker.verify(payloads.map(checkOf)));
    const answers = await Promise.all(calls);
    expect(answers.slice(0, -1)).to.deep.equal(payloads.map((_, i) => [i % 2 === 0]));
    expect(answers.at(-1)).to.deep.equal(payloads.map((_, i) => i % 2 === 0));
    expect(await worker.verify([])).to.deep.equal([]);
  });

  it('starts a new worker after being closed', async () => {
    const payload = signed(CODES[0]!);
    expect(await worker.verify([checkOf(payload)])).to.deep.equal([true]);
    await worker.close();
    expect(await worker.verify([checkOf(payload), checkOf(forged(payload))])).to.deep.equal([true, false]);
  });

  it('reads a mixed basket exactly as readVoucherInput does, one input at a time', async () => {
    const payload = signed(CODES[0]!);
    const inputs = [
      payload,
      '7k3m qx9p 2d4f hr8t 4',
      forged(signed(CODES[1]!)),
      '7K3M-QX9P-2D4F-HR8T-5',
      signed(CODES[2]!, k2, 'K2'),
      payload.replace('.K1.', '.K9.'),
      'PN1.K1.garbled',
      `${payload}\n`,
    ];
    const expected = inputs.map((input) => readVoucherInput(input, keyring));
    expect(expected.map((read) => (read.ok ? 'ok' : read.reason))).to.deep.equal([
      'ok',
      'ok',
      'invalid_signature',
      'typo',
      'ok',
      'unknown_key',
      'malformed',
      'ok',
    ]);
    expect(await readVoucherInputs(inputs, keyring, (checks) => worker.verify(checks))).to.deep.equal(
      expected,
    );
    expect(await readVoucherInputs(inputs, keyring, async (checks) => verifyHere(checks))).to.deep.equal(
      expected,
    );
  });

  it('does not call the verifier when no input is a well-formed payload', async () => {
    let called = false;
    const reads = await readVoucherInputs(['7K3M-QX9P-2D4F-HR8T-4', 'PN1.bad'], keyring, async () => {
      called = true;
      return [];
    });
    expect(called).to.equal(false);
    expect(reads.map((read) => read.ok)).to.deep.equal([true, false]);
  });
});
