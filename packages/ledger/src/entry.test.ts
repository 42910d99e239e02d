import { expect } from 'chai';
import fc from 'fast-check';
import { accounts } from './account-code';
import {
  credit,
  debit,
  type EntryInput,
  isIsoDate,
  type PostedEntry,
  sameEntryContent,
  validateEntry,
} from './entry';
import { buildFunding, buildRedemption } from './ledger-test-builders';

function issueCodes(input: EntryInput): string[] {
  try {
    validateEntry(input);
  } catch (error) {
    return ((error as { issues?: { code: string }[] }).issues ?? []).map((issue) => issue.code);
  }
  return [];
}

describe('validateEntry', () => {
  it('accepts a balanced entry and fills the defaults', () => {
    const entry = validateEntry(buildFunding({ reference: 'funding:1' }));
    expect(entry.currency).to.equal('EUR');
    expect(entry.idempotencyKey).to.equal(null);
    expect(entry.effectiveDate).to.equal(null);
    expect(entry.lines.map((line) => line.lineNo)).to.deep.equal([1, 2, 3]);
  });

  it('refuses an entry whose debits differ from its credits', () => {
    const input = buildRedemption();
    input.lines = [debit(accounts.operatorBank(), 1000n), credit(accounts.operatorFees(), 999n)];
    expect(issueCodes(input)).to.deep.equal(['unbalanced_entry']);
  });

  it('refuses an entry with a single line', () => {
    expect(issueCodes(buildRedemption({ lines: [debit(accounts.operatorBank(), 1n)] }))).to.include(
      'too_few_lines',
    );
  });

  for (const [label, amount] of [
    ['zero', 0n],
    ['negative', -5n],
    ['a JS number', 1000],
    ['a decimal string', '10.00'],
    ['beyond bigint', 2n ** 63n],
  ] as const) {
    it(`refuses an amount that is ${label}`, () => {
      const input = buildRedemption();
      input.lines = [
        { account: accounts.operatorBank(), side: 'debit', amount: amount as bigint },
        credit(accounts.operatorFees(), 1000n),
      ];
      expect(issueCodes(input)).to.include('invalid_amount');
    });
  }

  it('refuses an entry whose total does not fit a bigint', () => {
    const big = 2n ** 62n;
    const input = buildRedemption({
      lines: [
        debit(accounts.operatorBank(), big),
        debit(accounts.operatorBank(), big),
        credit(accounts.operatorFees(), big),
        credit(accounts.operatorFees(), big),
      ],
    });
    expect(issueCodes(input)).to.deep.equal(['invalid_amount']);
  });

  it('refuses unknown accounts, sides, kinds, currencies and dates', () => {
    expect(
      issueCodes(buildRedemption({ lines: [debit('operator:cash', 1n), credit('operator:bank', 1n)] })),
    ).to.include('unknown_account');
    expect(
      issueCodes(
        buildRedemption({
          lines: [
            { account: 'operator:bank', side: 'up' as 'debit', amount: 1n },
            credit('operator:fees', 1n),
          ],
        }),
      ),
    ).to.include('invalid_side');
    expect(issueCodes(buildRedemption({ kind: 'Redemption' }))).to.deep.equal(['invalid_kind']);
    expect(issueCodes(buildRedemption({ kind: 'redemption-undone' }))).to.deep.equal(['invalid_kind']);
    expect(issueCodes(buildRedemption({ currency: 'EURO' }))).to.deep.equal(['invalid_currency']);
    expect(issueCodes(buildRedemption({ currency: 'JPY' }))).to.deep.equal(['invalid_currency']);
    expect(issueCodes(buildRedemption({ effectiveDate: '2026-02-30' }))).to.deep.equal(['invalid_date']);
  });

  it('refuses blank reference and actor', () => {
    expect(issueCodes(buildRedemption({ reference: ' ' }))).to.deep.equal(['invalid_text']);
    expect(issueCodes(buildRedemption({ actor: undefined as unknown as string }))).to.deep.equal([
      'required',
    ]);
  });

  it('accepts any snake_case kind, not only the known ones', () => {
    expect(issueCodes(buildRedemption({ kind: 'transfer_between_funders' }))).to.deep.equal([]);
  });

  it('balances exactly whatever the amounts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 20 }),
        (amounts) => {
          const total = amounts.reduce((sum, amount) => sum + amount, 0n);
          const input = buildRedemption({
            lines: [
              ...amounts.map((amount) => debit(accounts.operatorBank(), amount)),
              credit(accounts.operatorFees(), total),
            ],
          });
          expect(issueCodes(input)).to.deep.equal([]);
          input.lines = [...input.lines, credit(accounts.operatorFees(), 1n)];
          expect(issueCodes(input)).to.deep.equal(['unbalanced_entry']);
        },
      ),
    );
  });
});

describe('sameEntryContent', () => {
  const request = validateEntry(buildRedemption({ reference: 'redemption:1', idempotencyKey: 'k' }));
  const stored = (overrides: Partial<PostedEntry> = {}): PostedEntry => ({
    id: '1',
    kind: request.kind,
    reference: request.reference,
    actor: 'someone else',
    description: 'other words',
    currency: 'EUR',
    idempotencyKey: 'k',
    reversesEntryId: null,
    effectiveDate: '2026-01-01',
    postedAt: new Date(),
    lines: request.lines.map((line) => ({ ...line })),
    replayed: false,
    ...overrides,
  });

  it('treats actor and description as metadata', () => {
    expect(sameEntryContent(request, stored())).to.equal(true);
  });

  it('sees a different amount, account, kind or reference', () => {
    const lines = stored().lines;
    expect(
      sameEntryContent(request, stored({ lines: [{ ...lines[0]!, amount: 1001n }, lines[1]!] })),
    ).to.equal(false);
    expect(sameEntryContent(request, stored({ kind: 'expiry' }))).to.equal(false);
    expect(sameEntryContent(request, stored({ reference: 'redemption:2' }))).to.equal(false);
    expect(sameEntryContent(request, stored({ lines: lines.slice(0, 1) }))).to.equal(false);
  });

  it('compares the accounting date only when the request names one', () => {
    const dated = validateEntry(buildRedemption({ reference: 'redemption:1', effectiveDate: '2026-03-01' }));
    expect(sameEntryContent(dated, stored())).to.equal(false);
    expect(sameEntryContent(dated, stored({ effectiveDate: '2026-03-01' }))).to.equal(true);
  });
});

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).to.equal(true);
    expect(isIsoDate('2023-02-29')).to.equal(false);
    expect(isIsoDate('2026-1-01')).to.equal(false);
    expect(isIsoDate(20260101)).to.equal(false);
  });
});
