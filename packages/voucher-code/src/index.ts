export { computeCheckSymbol, hasValidCheckSymbol } from './check-symbol';
export {
  createVoucherMaterial,
  MAX_VOUCHER_MATERIAL_COUNT,
  type VoucherMaterial,
  type VoucherMaterialKeys,
} from './create-voucher-material';
export { CROCKFORD_ALPHABET, decodeCrockfordBase32, encodeCrockfordBase32 } from './crockford-base32';
export { generateVoucherCode } from './generate-voucher-code';
export {
  type ParsedVoucherInput,
  parseVoucherInput,
  readVoucherInput,
  type VoucherInputCheck,
  type VoucherInputRefusal,
} from './parse-voucher-input';
export { type SignVoucherPayloadsOptions, signVoucherPayloads } from './sign-voucher-payloads';
export {
  checkPartialCode,
  checkVoucherCode,
  formatVoucherCode,
  isCanonicalVoucherCode,
  normalizeVoucherCode,
  type PartialVoucherCodeCheck,
  toCanonicalVoucherCode,
  VOUCHER_CODE_DATA_LENGTH,
  VOUCHER_CODE_ENTROPY_BITS,
  VOUCHER_CODE_LENGTH,
  type VoucherCodeCheck,
  type VoucherCodeRefusal,
} from './voucher-code';
export { decryptVoucherCode, ENCRYPTED_VOUCHER_CODE_LENGTH, encryptVoucherCode } from './voucher-code-cipher';
export { voucherLookupHash } from './voucher-lookup-hash';
export {
  looksLikeVoucherPayload,
  type ParsedVoucherPayload,
  parseVoucherPayload,
  signVoucherPayload,
  type VoucherPayloadCheck,
  type VoucherPayloadRefusal,
  verifyVoucherPayload,
  voucherPayloadQrSegments,
} from './voucher-payload';
export {
  deriveVoucherSecretKeys,
  VOUCHER_SECRET_KEY_LENGTH,
  type VoucherSecretKeys,
} from './voucher-secret-keys';
export {
  createKeyring,
  generateVoucherSigningKey,
  KID_PATTERN,
  keyringToJwks,
  publicKeyToJwk,
  type VoucherKeyring,
  type VoucherPublicJwk,
  type VoucherPublicKeyInput,
  type VoucherSigner,
  type VoucherSigningKey,
} from './voucher-signing-keys';
