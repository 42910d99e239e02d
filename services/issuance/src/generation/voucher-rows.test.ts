import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createLookupHasher } from './lookup-hasher';
import {
  copyHeader,
  copyTrailer,
  deriveLookupHashes,
  encodeVoucherTuples,
  uuidBytes,
  VOUCHER_TUPLE_BYTES,
} from './voucher-rows';

describe('binary COPY rows', () => {
  it('starts with the PGCOPY signature, zero flags and no header extension, and ends with -1', () => {
    const header = copyHeader();
    expect(header.subarray(0, 11).toString('latin1')).to.equal('PGCOPY\n\xff\r\n\0');
    expect(header.readInt32BE(11)).to.equal(0);
    expect(header.readInt32BE(15)).to.equal(0);
    expect(copyTrailer().readInt16BE(0)).to.equal(-1);
  });

  it('encodes each pass as (batch uuid, serial, 32-byte lookup hash) with their lengths', () => {
    const batchId = randomUUID();
    const seed = randomBytes(32);
    const hasher = createLookupHasher(randomBytes(32));
    const tuples = encodeVoucherTuples(uuidBytes(batchId), seed, hasher, 7, 3);
    const hashes = deriveLookupHashes(seed, hasher, 7, 3);
    expect(tuples.length).to.equal(3 * VOUCHER_TUPLE_BYTES);
    for (let i = 0; i < 3; i++) {
      const row = tuples.subarray(i * VOUCHER_TUPLE_BYTES);
      expect(row.readInt16BE(0)).to.equal(3);
      expect(row.readInt32BE(2)).to.equal(16);
      expect(row.subarray(6, 22).toString('hex')).to.equal(batchId.replace(/-/g, ''));
      expect(row.readInt32BE(22)).to.equal(4);
      expect(row.readInt32BE(26)).to.equal(7 + i);
      expect(row.readInt32BE(30)).to.equal(32);
      expect(row.subarray(34, 66).equals(hashes.subarray(32 * i, 32 * i + 32))).to.equal(true);
    }
  });

  it('refuses something that is not a uuid', () => {
    expect(() => uuidBytes('not-a-uuid')).to.throw(RangeError);
  });
});
