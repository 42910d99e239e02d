import { checkVoucherCode, type VoucherCodeCheck, type VoucherCodeRefusal } from './voucher-code';
import type { SignatureCheck } from './signature-worker';
import {
  looksLikeVoucherPayload,
  prepareVoucherPayloadCheck,
  type VoucherPayloadCheck,
  type VoucherPayloadRefusal,
  verifyVoucherPayload,
  voucherPayloadVerdict,
} from './voucher-payload';
import type { VoucherKeyring } from './voucher-signing-keys';

export type ParsedVoucherInput =
  | { kind: 'payload'; payload: string }
  | { kind: 'code'; check: VoucherCodeCheck };

export type VoucherInputRefusal = VoucherCodeRefusal | VoucherPayloadRefusal;

export type VoucherInputCheck =
  | { ok: true; code: string; source: 'qr'; kid: string }
  | { ok: false; source: 'qr'; reason: VoucherPayloadRefusal }
  | { ok: true; code: string; source: 'typed' }
  | { ok: false; source: 'typed'; reason: VoucherCodeRefusal };

/**
 * Tells a scanned QR payload from a typed code. Scanners may add a trailing newline, hence the trim.
 * A typed code never contains '.', so anything starting "PN<digits>." is treated as a payload; a code
 * typed with dots between groups is then refused as malformed either way.
 */
export function parseVoucherInput(input: string): ParsedVoucherInput {
  const trimmed = input.trim();
  if (looksLikeVoucherPayload(trimmed)) return { kind: 'payload', payload: trimmed };
  return { kind: 'code', check: checkVoucherCode(input) };
}

/** Accepts a scanned payload (signature verified against the keyring) or a typed code (check symbol). */
export function readVoucherInput(input: string, keyring: VoucherKeyring): VoucherInputCheck {
  const parsed = parseVoucherInput(input);
  return parsed.kind === 'payload'
    ? fromPayloadCheck(verifyVoucherPayload(parsed.payload, keyring))
    : fromCodeCheck(parsed.check);
}

/**
 * readVoucherInput for several inputs, the payloads' signatures checked together by `verifySignatures`
 * (a SignatureWorker's, to keep them off the event loop). Same answers, in order.
 */
export async function readVoucherInputs(
  inputs: readonly string[],
  keyring: VoucherKeyring,
  verifySignatures: (checks: SignatureCheck[]) => Promise<boolean[]>,
): Promise<VoucherInputCheck[]> {
  const reads = inputs.map((input) => {
    const read = parseVoucherInput(input);
    return read.kind === 'payload'
      ? { kind: 'payload' as const, prepared: prepareVoucherPayloadCheck(read.payload, keyring) }
      : read;
  });
  const checks = reads.flatMap((read) =>
    read.kind === 'payload' && 'check' in read.prepared ? [read.prepared.check] : [],
  );
  const valid = checks.length > 0 ? await verifySignatures(checks) : [];
  let next = 0;
  return reads.map((read) =>
    read.kind === 'code'
      ? fromCodeCheck(read.check)
      : fromPayloadCheck(
          voucherPayloadVerdict(read.prepared, 'check' in read.prepared && valid[next++] === true),
        ),
  );
}

function fromPayloadCheck(verified: VoucherPayloadCheck): VoucherInputCheck {
  return verified.ok
    ? { ok: true, code: verified.code, source: 'qr', kid: verified.kid }
    : { ok: false, source: 'qr', reason: verified.reason };
}

function fromCodeCheck(check: VoucherCodeCheck): VoucherInputCheck {
  return check.ok
    ? { ok: true, code: check.code, source: 'typed' }
    : { ok: false, source: 'typed', reason: check.reason };
}
