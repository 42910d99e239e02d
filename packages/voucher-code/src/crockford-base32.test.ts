import { expect } from 'chai';
import fc from 'fast-check';
import { CROCKFORD_ALPHABET, decodeCrockfordBase32, encodeCrockfordBase32 } from './crockford-base32';

describe('Crockford base32', () => {
  it('uses the 32 symbols 0-9 A-Z without I, L, O and U', () => {
    expect(CROCKFORD_ALPHABET).to.have.length(32);
    expect(new Set(CROCKFORD_ALPHABET).size).to.equal(32);
    for (const excluded of 'ILOU') expect(CROCKFORD_ALPHABET).not.to.include(excluded);
  });

  it('decodes what it encodes, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeCrockfordBase32(bytes);
        expect(text).to.have.length(Math.ceil((bytes.length * 8) / 5));
        expect(decodeCrockfordBase32(text, bytes.length)).to.deep.equal(bytes);
      }),
    );
  });

  it('encodes known vectors most significant bit first', () => {
    expect(encodeCrockfordBase32(Uint8Array.from([0xff]))).to.equal('ZW');
    expect(encodeCrockfordBase32(Uint8Array.from([0x00, 0x44, 0x32, 0x14, 0xc7]))).to.equal('01234567');
  });

  it('refuses a second spelling of the same bytes (non-zero padding bits)', () => {
    // 0xff encodes as 'ZW' (11111 11100); 'ZX' sets a padding bit and must not decode to anything.
    expect(decodeCrockfordBase32('ZW', 1)).to.deep.equal(Uint8Array.from([0xff]));
    expect(decodeCrockfordBase32('ZX', 1)).to.equal(undefined);
  });

  it('refuses lower case, excluded letters and the wrong length', () => {
    expect(decodeCrockfordBase32('zw', 1)).to.equal(undefined);
    expect(decodeCrockfordBase32('IW', 1)).to.equal(undefined);
    expect(decodeCrockfordBase32('UW', 1)).to.equal(undefined);
    expect(decodeCrockfordBase32('ZW0', 1)).to.equal(undefined);
    expect(decodeCrockfordBase32('Z', 1)).to.equal(undefined);
  });
});
