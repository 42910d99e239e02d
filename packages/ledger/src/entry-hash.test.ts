import { createHash } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalEntry, GENESIS_HASH, type HashableEntry, hashBlock, hashEntry } from './entry-hash';
import { buildHashable } from './ledger-test-builders';

describe('canonicalEntry', () => {
  it('writes one item per line with byte-length-prefixed text', () => {
    expect(canonicalEntry(buildHashable({ description: 'Café €', idempotencyKey: 'k' }))).to.equal(
      [
        'pass-ledger-entry-v1',
        '42',
        '10:redemption',
        '14:redemption:abc',
        '6:user:1',
        '9:Café €',
        '3:EUR',
        '1:k',
        '-',
        '2026-11-22',
        '1795315592295923',
        '1 13:operator:bank debit 1000',
        '2 13:operator:fees credit 1000',
      ].join('\n'),
    );
  });

  it('keeps field boundaries when text contains newlines or digits and colons', () => {
    const a = buildHashable({ reference: 'a\n5:b', actor: 'c' });
    const b = buildHashable({ reference: 'a', actor: 'b\nc' });
    expect(canonicalEntry(a)).to.not.equal(canonicalEntry(b));
  });

  it('distinguishes a null description from an empty-looking one', () => {
    expect(canonicalEntry(buildHashable({ description: '-' }))).to.not.equal(canonicalEntry(buildHashable()));
  });

  it('changes the hash when any field changes (property)', () => {
    const base = buildHashable();
    const mutations: ((entry: HashableEntry, text: string) => HashableEntry)[] = [
      (entry, text) => ({ ...entry, kind: `${entry.kind}${text}x` }),
      (entry, text) => ({ ...entry, reference: `${entry.reference}${text}x` }),
      (entry, text) => ({ ...entry, actor: `${text}x${entry.actor}` }),
      (entry, text) => ({ ...entry, description: text }),
      (entry, text) => ({ ...entry, idempotencyKey: text }),
      (entry) => ({ ...entry, reversesEntryId: '7' }),
      (entry) => ({ ...entry, effectiveDate: '2026-11-23' }),
      (entry) => ({ ...entry, postedAtMicros: '1795315592295924' }),
      (entry) => ({
        ...entry,
        lines: entry.lines.map((line, i) => (i === 0 ? { ...line, amount: '1001' } : line)),
      }),
      (entry) => ({
        ...entry,
        lines: entry.lines.map((line, i) => (i === 1 ? { ...line, account: 'operator:bank' } : line)),
      }),
      (entry) => ({
        ...entry,
        lines: entry.lines.map((line) => ({ ...line, side: line.side === 'debit' ? 'credit' : 'debit' })),
      }),
      (entry) => ({ ...entry, lines: entry.lines.slice(1) }),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: mutations.length - 1 }), fc.string(), (index, text) => {
        expect(hashEntry(mutations[index]!(base, text)).equals(hashEntry(base))).to.equal(false);
      }),
    );
  });

  it('hashes with SHA-256 of the UTF-8 canonical form', () => {
    const entry = buildHashable({ description: 'Pass numérique' });
    expect(hashEntry(entry).toString('hex')).to.equal(
      createHash('sha256')
        .update(Buffer.from(canonicalEntry(entry), 'utf8'))
        .digest('hex'),
    );
  });
});

describe('hashBlock', () => {
  it('chains on the previous hash and the block number', () => {
    const entries = Buffer.concat([hashEntry(buildHashable()), hashEntry(buildHashable({ id: '43' }))]);
    const first = hashBlock(1n, GENESIS_HASH, entries);
    expect(first).to.have.length(32);
    expect(hashBlock('1', GENESIS_HASH, entries).equals(first)).to.equal(true);
    expect(hashBlock(2n, GENESIS_HASH, entries).equals(first)).to.equal(false);
    expect(hashBlock(1n, Buffer.alloc(32, 1), entries).equals(first)).to.equal(false);
    expect(hashBlock(1n, GENESIS_HASH, entries.subarray(32)).equals(first)).to.equal(false);
  });
});
