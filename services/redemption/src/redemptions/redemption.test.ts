import type { Batch, VoucherRefusal, VoucherWithBatch } from '@pass/vouchers';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  checkUndo,
  evaluateBasket,
  fundersShare,
  type PassReading,
  REFUSAL_CODES,
  refusalMessage,
  refusalOfVoucher,
  remainderOf,
  type ServiceTerms,
  undoDeadline,
  type VenueTerms,
} from './redemption';

const ASSOCIATION = '00000000-0000-4000-8000-00000000a550';
const OTHER_ASSOCIATION = '00000000-0000-4000-8000-00000000b550';

function buildBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    number: 42,
    funderId: '00000000-0000-4000-8000-0000000000f1',
    status: 'active',
    faceValueCents: 1000n,
    currency: 'EUR',
    bookletSize: 5,
    bookletCount: 10,
    voucherCount: 50,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    toleranceDays: 30,
    territory: { departements: [], communes: [] },
    serviceCategories: [],
    createdAt: new Date('2025-12-01T00:00:00Z'),
    submittedAt: null,
    activatedAt: null,
    closedAt: null,
    ...overrides,
  };
}

let nextId = 1;
function buildVoucher(
  overrides: Partial<Omit<VoucherWithBatch, 'batch'>> = {},
  batch: Partial<Batch> = {},
): VoucherWithBatch {
  const id = String(nextId++);
  return {
    id,
    batchId: '00000000-0000-4000-8000-0000000000b1',
    serial: Number(id),
    status: 'available',
    statusReason: null,
    statusChangedAt: null,
    distributedAt: null,
    ...overrides,
    batch: buildBatch(batch),
  };
}

const venue: VenueTerms = {
  id: '00000000-0000-4000-8000-00000000ae01',
  name: 'EPN de Privas',
  associationId: ASSOCIATION,
  accreditationStatus: 'accredited',
  inseeCode: '07186',
};

function buildService(overrides: Partial<ServiceTerms> = {}): ServiceTerms {
  return {
    id: '00000000-0000-4000-8000-00000000c001',
    venueId: venue.id,
    name: 'Atelier',
    category: 'maitrise-outils-numeriques',
    pricePasses: 1,
    zeroRemainder: true,
    active: true,
    ...overrides,
  };
}

const NOW = new Date('2026-06-15T10:00:00Z');
const found = (voucher = buildVoucher()): PassReading => ({ kind: 'found', voucher });

function evaluate(
  readings: PassReading[],
  overrides: { venue?: Partial<VenueTerms>; service?: Partial<ServiceTerms> } = {},
) {
  return evaluateBasket({
    venue: { ...venue, ...overrides.venue },
    service: buildService({ pricePasses: readings.length, ...overrides.service }),
    readings,
    now: NOW,
    timeZone: 'Europe/Paris',
    callerAssociationId: ASSOCIATION,
  });
}

describe('evaluateBasket', () => {
  it('accepts a basket of usable passes and sums their face values', () => {
    const verdict = evaluate([
      found(buildVoucher({ serial: 7 })),
      found(buildVoucher({ serial: 8 }, { faceValueCents: 550n })),
    ]);
    expect(verdict.ok).to.equal(true);
    if (verdict.ok) expect(verdict.amount.toString()).to.equal('15.50');
    expect(verdict.passes.map((p) => p.serial)).to.deep.equal(['000042-0000007', '000042-0000008']);
    expect(verdict.passes.map((p) => p.faceValue?.toString())).to.deep.equal(['10.00', '5.50']);
  });

  it('refuses the whole basket when one pass is refused, with that pass’s code', () => {
    const verdict = evaluate([found(), found(buildVoucher({ status: 'cancelled', statusReason: 'lost' }))]);
    expect(verdict.ok).to.equal(false);
    if (verdict.ok) return;
    expect(verdict.code).to.equal('cancelled');
    expect(verdict.passes.map((p) => p.ok)).to.deep.equal([true, false]);
    expect(verdict.passes[1]!.refusals[0]!.message).to.equal('Pass annulé (perdu).');
  });

  it('puts the venue first, then the count, then the first refused pass', () => {
    const unknown: PassReading = { kind: 'unknown' };
    const suspended = evaluate([unknown], {
      venue: { accreditationStatus: 'suspended' },
      service: { pricePasses: 2 },
    });
    expect(suspended.ok === false && suspended.code).to.equal('venue_not_accredited');
    expect(suspended.ok === false && suspended.refusals.map((r) => r.code)).to.deep.equal([
      'venue_not_accredited',
      'wrong_count',
    ]);
    const count = evaluate([unknown], { service: { pricePasses: 2 } });
    expect(count.ok === false && count.code).to.equal('wrong_count');
    expect(count.ok === false && count.refusals[0]!.message).to.equal(
      'Ce service se paie avec 2 pass : 1 présenté.',
    );
    const pass = evaluate([found(), unknown, { kind: 'unreadable', refusal: 'typo', cause: 'typo' }]);
    expect(pass.ok === false && pass.code).to.equal('unknown_code');
  });

  it('refuses a venue without an association even if marked accredited', () => {
    const verdict = evaluate([found()], { venue: { associationId: null } });
    expect(verdict.ok === false && verdict.code).to.equal('venue_not_accredited');
  });

  it('tells date and venue of a used pass to the association that redeemed it, and nothing to others', () => {
    const usedAt = {
      redeemedAt: new Date('2026-06-14T08:05:00Z'),
      venueId: 'x',
      venueName: 'Fablab',
      associationId: ASSOCIATION,
    };
    const used = buildVoucher({ status: 'redeemed' });
    const own = evaluate([{ kind: 'found', voucher: used, usedAt }]);
    expect(own.passes[0]!.refusals[0]).to.deep.equal({
      code: 'already_redeemed',
      message: 'Pass déjà utilisé le 14/06/2026 10:05 à Fablab.',
      redeemedAt: '2026-06-14T08:05:00.000Z',
      venueName: 'Fablab',
    });
    const other = evaluate([
      { kind: 'found', voucher: used, usedAt: { ...usedAt, associationId: OTHER_ASSOCIATION } },
    ]);
    expect(other.passes[0]!.refusals[0]).to.deep.equal({
      code: 'already_redeemed',
      message: 'Pass déjà utilisé.',
    });
  });

  it('calls a settled pass already redeemed', () => {
    const verdict = evaluate([found(buildVoucher({ status: 'settled' }))]);
    expect(verdict.ok === false && verdict.code).to.equal('already_redeemed');
  });

  it('lists all the reasons of one pass', () => {
    const voucher = buildVoucher(
      {},
      { territory: { departements: ['69'], communes: [] }, serviceCategories: ['parentalite-education'] },
    );
    const verdict = evaluate([found(voucher)]);
    expect(verdict.passes[0]!.refusals.map((r) => r.code)).to.deep.equal([
      'outside_territory',
      'service_not_allowed',
    ]);
  });

  it('never accepts a basket with a refused pass, whatever the mix (property)', () => {
    const reading = fc.oneof(
      fc.constant<PassReading>({ kind: 'unknown' }),
      fc.constant<PassReading>({ kind: 'duplicate' }),
      fc.constant<PassReading>({
        kind: 'unreadable',
        refusal: 'invalid_signature',
        cause: 'invalid_signature',
      }),
      fc.constantFrom('available', 'redeemed', 'cancelled', 'expired', 'settled').map(
        (status) =>
          ({
            kind: 'found',
            voucher: buildVoucher({ status: status as VoucherWithBatch['status'] }),
          }) as PassReading,
      ),
    );
    fc.assert(
      fc.property(
        fc.array(reading, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (readings, price) => {
          const verdict = evaluate(readings, { service: { pricePasses: price } });
          const allUsable = readings.every((r) => r.kind === 'found' && r.voucher.status === 'available');
          expect(verdict.ok).to.equal(allUsable && readings.length === price);
          if (!verdict.ok) expect(REFUSAL_CODES).to.include(verdict.code);
        },
      ),
    );
  });
});

describe('refusal codes and wording', () => {
  it('maps every refusal of the vouchers package to a stable code', () => {
    const reasons: VoucherRefusal[] = [
      'cancelled',
      'expired',
      'already_redeemed',
      'already_settled',
      'batch_not_active',
      'not_yet_valid',
      'outside_territory',
      'category_not_allowed',
    ];
    expect(reasons.map(refusalOfVoucher)).to.deep.equal([
      'cancelled',
      'expired',
      'already_redeemed',
      'already_redeemed',
      'not_active',
      'not_yet_valid',
      'outside_territory',
      'service_not_allowed',
    ]);
  });

  it('has French wording for every code', () => {
    for (const code of REFUSAL_CODES) {
      const message = refusalMessage(code, { expected: 2, got: 1 });
      expect(message, code).to.match(/^[A-ZÉ].*\.$/);
      expect(message, code).to.not.match(/undefined/);
    }
  });
});

describe('remainder, ledger shares, undo', () => {
  it('says nothing is left to pay when the catalogue says so, and to agree otherwise', () => {
    expect(remainderOf({ zeroRemainder: true }).kind).to.equal('zero');
    expect(remainderOf({ zeroRemainder: false })).to.deep.equal({
      kind: 'to_agree_with_venue',
      message: 'Un reste à charge éventuel est à convenir avec le lieu.',
    });
  });

  it('debits each funder for the face values of its own passes, in a stable order', () => {
    const b = '00000000-0000-4000-8000-0000000000f2';
    const a = '00000000-0000-4000-8000-0000000000f1';
    const shares = fundersShare([
      buildVoucher({}, { funderId: b, faceValueCents: 500n }),
      buildVoucher({}, { funderId: a }),
      buildVoucher({}, { funderId: b, faceValueCents: 500n }),
    ]);
    expect([...shares]).to.deep.equal([
      [a, 1000n],
      [b, 1000n],
    ]);
  });

  it('allows an undo by the same venue or an operator until the end of the window, once', () => {
    const redeemedAt = new Date('2026-06-15T10:00:00Z');
    const live = { status: 'live' as const, venueId: 'v1', redeemedAt };
    const deadline = undoDeadline(redeemedAt, 24);
    expect(deadline.toISOString()).to.equal('2026-06-16T10:00:00.000Z');
    expect(checkUndo(live, { operator: false, venueId: 'v1' }, deadline, 24)).to.deep.equal({ ok: true });
    expect(
      checkUndo(live, { operator: false, venueId: 'v1' }, new Date(deadline.getTime() + 1), 24),
    ).to.deep.equal({
      ok: false,
      reason: 'undo_window_expired',
    });
    expect(checkUndo(live, { operator: false, venueId: 'v2' }, redeemedAt, 24)).to.deep.equal({
      ok: false,
      reason: 'undo_not_allowed',
    });
    expect(checkUndo(live, { operator: true, venueId: undefined }, redeemedAt, 24)).to.deep.equal({
      ok: true,
    });
    expect(
      checkUndo({ ...live, status: 'undone' }, { operator: true, venueId: undefined }, redeemedAt, 24),
    ).to.deep.equal({
      ok: false,
      reason: 'already_undone',
    });
  });
});
