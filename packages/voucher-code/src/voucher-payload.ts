import { type KeyObject, sign, verify } from 'node:crypto';
import { decodeCrockfordBase32, encodeCrockfordBase32 } from './crockford-base32';
import { isCanonicalVoucherCode, toCanonicalVoucherCode } from './voucher-code';
import {
  assertKid,
  KID_PATTERN,
  toVoucherPrivateKey,
  type VoucherKeyring,
  type VoucherSigner,
} from './voucher-signing-keys';

// QR payload grammar, version 1 (only QR alphanumeric characters, so the whole payload encodes in
// alphanumeric mode at 5.5 bits a character):
//
//   payload   = "PN" version "." kid "." code "." signature
//   version   = "1"
//   kid       = 1*16(DIGIT / "A"-"Z")
//   code      = the canonical 17-symbol voucher code (check symbol included)
//   signature = 103 Crockford base32 symbols: the 64-byte Ed25519 signature, last symbol zero-padded
//
// Signed message: the ASCII bytes of "PASSNUM|v1|" kid "|" code. The prefix separates this use of the key
// from any other, and binding the version and kid stops a signature being replayed under another key id
// or a later format. Ed25519 is deterministic: the same code and key always give the same payload, so the
// payload need not be stored; it can be recomputed whenever a booklet is (re)printed.
// Length: 126 characters plus the kid, 134 for an 8-character kid: QR version 6 at level M (154 max).

const PREFIX = 'PN';
const CURRENT_VERSION = 1;
const SEPARATOR = '.';
const SIGNATURE_LENGTH = 64;
const DOMAIN = 'PASSNUM';

export type VoucherPayloadRefusal = 'malformed' | 'unknown_key' | 'invalid_signature' | 'unsupported_version';

export type VoucherPayloadCheck =
  | { ok: true; code: string; kid: string; version: number }
  | { ok: false; reason: VoucherPayloadRefusal };

/** What a string that looks like a payload claims, before any signature check. */
export type ParsedVoucherPayload = { version: number; kid: string; code: string; signature: Uint8Array };

// No leading zero: "PN01" would be a second spelling of the same payload.
const VERSION_FIELD = /^PN(0|[1-9]\d{0,2})$/;
// Longer than any version 1 payload can be (126 + 16): refused before splitting arbitrary input.
const MAX_PAYLOAD_LENGTH = 256;

/** True when the input starts like a QR payload ("PN", digits, "."), whatever follows. */
export function looksLikeVoucherPayload(input: string): boolean {
  return /^PN\d{1,3}\./.test(input);
}

/** Bytes the signature covers: "PASSNUM|v1|" kid "|" code (domain-separated, version and kid bound). */
export function voucherSignedMessage(kid: string, code: string): Buffer {
  return Buffer.from(`${DOMAIN}|v${CURRENT_VERSION}|${kid}|${code}`, 'latin1');
}

/** Assembles a version 1 payload from its already validated fields. */
export function formatVoucherPayload(kid: string, code: string, signature: Uint8Array): string {
  return [PREFIX + CURRENT_VERSION, kid, code, encodeCrockfordBase32(signature)].join(SEPARATOR);
}

/** Signs an already canonical code: shared with the batch API, which validated codes and key up front. */
export function signCanonicalVoucherPayload(code: string, kid: string, privateKey: KeyObject): string {
  return formatVoucherPayload(kid, code, sign(null, voucherSignedMessage(kid, code), privateKey));
}

/** QR payload for a voucher, signed with Ed25519 under the signer's kid (see the grammar above). */
export function signVoucherPayload(code: string, signer: VoucherSigner): string {
  assertKid(signer.kid);
  return signCanonicalVoucherPayload(
    toCanonicalVoucherCode(code),
    signer.kid,
    toVoucherPrivateKey(signer.privateKey),
  );
}

/**
 * Splits a payload into its fields and checks their syntax (not the signature).
 * A version other than 1 yields 'unsupported_version' before anything else is read, so a newer format
 * can change every other field without old scanners calling it malformed.
 */
export function parseVoucherPayload(
  payload: string,
): { ok: true; parsed: ParsedVoucherPayload } | { ok: false; reason: 'malformed' | 'unsupported_version' } {
  if (payload.length > MAX_PAYLOAD_LENGTH) return { ok: false, reason: 'malformed' };
  const fields = payload.split(SEPARATOR);
  const versionMatch = VERSION_FIELD.exec(fields[0] ?? '');
  if (!versionMatch) return { ok: false, reason: 'malformed' };
  const version = Number(versionMatch[1]);
  if (version !== CURRENT_VERSION) return { ok: false, reason: 'unsupported_version' };
  if (fields.length !== 4) return { ok: false, reason: 'malformed' };
  const [, kid = '', code = '', encodedSignature = ''] = fields;
  if (!KID_PATTERN.test(kid) || !isCanonicalVoucherCode(code)) return { ok: false, reason: 'malformed' };
  const signature = decodeCrockfordBase32(encodedSignature, SIGNATURE_LENGTH);
  if (!signature) return { ok: false, reason: 'malformed' };
  return { ok: true, parsed: { version, kid, code, signature } };
}

/** Verifies a scanned payload offline against a keyring; returns the canonical code or why it is refused. */
export function verifyVoucherPayload(payload: string, keyring: VoucherKeyring): VoucherPayloadCheck {
  const result = parseVoucherPayload(payload);
  if (!result.ok) return result;
  const { version, kid, code, signature } = result.parsed;
  const publicKey = keyring.find(kid);
  if (!publicKey) return { ok: false, reason: 'unknown_key' };
  if (!verify(null, voucherSignedMessage(kid, code), publicKey, signature))
    return { ok: false, reason: 'invalid_signature' };
  return { ok: true, code, kid, version };
}

/**
 * QR segments for a payload: one alphanumeric segment, so every pass of a batch gets the same QR version
 * (qrcode's automatic segmentation may switch long digit runs to numeric mode, which is valid but makes
 * the symbol size vary). Pass the result to QRCode.create / toString / toDataURL instead of the string.
 */
export function voucherPayloadQrSegments(payload: string): [{ data: string; mode: 'alphanumeric' }] {
  return [{ data: payload, mode: 'alphanumeric' }];
}
