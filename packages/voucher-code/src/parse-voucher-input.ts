import { checkVoucherCode, type VoucherCodeCheck, type VoucherCodeRefusal } from './voucher-code';
import { looksLikeVoucherPayload, type VoucherPayloadRefusal, verifyVoucherPayload } from './voucher-payload';
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
  if (parsed.kind === 'payload') {
    const verified = verifyVoucherPayload(parsed.payload, keyring);
    return verified.ok
      ? { ok: true, code: verified.code, source: 'qr', kid: verified.kid }
      : { ok: false, source: 'qr', reason: verified.reason };
  }
  return parsed.check.ok
    ? { ok: true, code: parsed.check.code, source: 'typed' }
    : { ok: false, source: 'typed', reason: parsed.check.reason };
}
