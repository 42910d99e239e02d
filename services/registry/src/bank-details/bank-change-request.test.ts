import { expect } from 'chai';
import { FieldProblems } from '../shared/field-problems';
import { type BankChangeRequest, decideBankChange, validateBankAccount } from './bank-change-request';

const requester = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const secondOperator = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const now = new Date('2026-03-01T09:00:00Z');

function buildRequest(overrides: Partial<BankChangeRequest> = {}): BankChangeRequest {
  return {
    id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    associationId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
    account: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPPXXX', accountHolderName: 'ASSO NUMERIQUE' },
    status: 'pending',
    requestedBy: requester,
    requestedAt: new Date('2026-02-28T09:00:00Z'),
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    ...overrides,
  };
}

describe('bank change decisions (four eyes)', () => {
  it('refuses approval by the person who entered the change, even an operator', () => {
    expect(
      decideBankChange(buildRequest(), 'approve', { userId: requester, isOperator: true }, now),
    ).to.deep.equal({
      ok: false,
      reason: 'four_eyes_required',
    });
  });

  it('lets a second operator approve', () => {
    const result = decideBankChange(
      buildRequest(),
      'approve',
      { userId: secondOperator, isOperator: true },
      now,
    );
    expect(result).to.deep.include({ ok: true });
    if (result.ok)
      expect(result.request).to.include({ status: 'approved', decidedBy: secondOperator, decidedAt: now });
  });

  it('refuses approval by someone who is not an operator', () => {
    expect(
      decideBankChange(buildRequest(), 'approve', { userId: secondOperator, isOperator: false }, now),
    ).to.deep.equal({
      ok: false,
      reason: 'approver_not_operator',
    });
  });

  it('needs a reason to reject', () => {
    const decider = { userId: secondOperator, isOperator: true };
    expect(decideBankChange(buildRequest(), 'reject', decider, now, ' ')).to.deep.equal({
      ok: false,
      reason: 'reason_required',
    });
    const rejected = decideBankChange(buildRequest(), 'reject', decider, now, 'RIB illisible');
    expect(rejected.ok && rejected.request.decisionReason).to.equal('RIB illisible');
  });

  it('lets the requester withdraw their own request', () => {
    const result = decideBankChange(buildRequest(), 'cancel', { userId: requester, isOperator: false }, now);
    expect(result.ok && result.request.status).to.equal('cancelled');
  });

  it('refuses to decide twice', () => {
    const decided = buildRequest({ status: 'approved', decidedBy: secondOperator, decidedAt: now });
    for (const decision of ['approve', 'reject', 'cancel'] as const) {
      expect(
        decideBankChange(decided, decision, { userId: secondOperator, isOperator: true }, now, 'x'),
      ).to.deep.equal({
        ok: false,
        reason: 'not_pending',
      });
    }
  });
});

describe('validateBankAccount', () => {
  const validate = (input: { iban: string; bic: string; accountHolderName: string }) => {
    const problems = new FieldProblems();
    const account = validateBankAccount(input, 'body', problems);
    let codes: string[] = [];
    try {
      problems.throwIfAny();
    } catch (err) {
      codes = (err as { issues: { code: string }[] }).issues.map((issue) => issue.code);
    }
    return { account, codes };
  };

  it('normalises a real French IBAN and BIC and keeps the holder name as the bank writes it', () => {
    expect(
      validate({
        iban: 'fr76 3000 6000 0112 3456 7890 189',
        bic: 'agri fr pp xxx',
        accountHolderName: '  Asso Numérique de la Drôme ',
      }),
    ).to.deep.equal({
      account: {
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPPXXX',
        accountHolderName: 'Asso Numérique de la Drôme',
      },
      codes: [],
    });
  });

  it('says what is wrong with each field', () => {
    expect(
      validate({ iban: 'FR7630006000011234567890188', bic: 'BNPAXXPP', accountHolderName: '' }).codes,
    ).to.deep.equal(['iban_bad_checksum', 'bic_unknown_country', 'account_holder_name_length']);
  });

  it('refuses a valid IBAN outside the SEPA area', () => {
    expect(
      validate({ iban: 'BR15 0000 0000 0000 1093 2840 814P 2', bic: 'BNPAFRPP', accountHolderName: 'X' })
        .codes,
    ).to.deep.equal(['iban_not_sepa']);
  });

  it('refuses a holder name longer than a SEPA file allows', () => {
    expect(
      validate({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', accountHolderName: 'A'.repeat(71) })
        .codes,
    ).to.deep.equal(['account_holder_name_length']);
  });
});
