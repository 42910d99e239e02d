import { expect } from 'chai';
import {
  detectBookletOveruse,
  detectBursts,
  detectOutsideOpeningHours,
  FRAUD_RULES,
  passAtTwoVenues,
  type ScannedRedemption,
} from './fraud-flag';
import { openStateAt } from '@pass/opening-hours';

const VENUE = '00000000-0000-4000-8000-00000000ae01';
const BATCH = '00000000-0000-4000-8000-0000000000b1';
let n = 0;

function buildRedemption(overrides: Partial<ScannedRedemption> = {}): ScannedRedemption {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    venueId: VENUE,
    associationId: '00000000-0000-4000-8000-00000000a550',
    redeemedAt: new Date('2026-06-15T10:00:00Z'),
    pricePasses: 1,
    openingHours: null,
    passes: [{ voucherId: String(n), batchId: BATCH, booklet: n }],
    ...overrides,
  };
}

const at = (minutes: number) => new Date(Date.parse('2026-06-15T10:00:00Z') + minutes * 60_000);

describe('fraud rules', () => {
  it('flags more redemptions than allowed in one window at one venue, once per window', () => {
    const many = Array.from({ length: FRAUD_RULES.burstMaxRedemptions + 1 }, (_, i) =>
      buildRedemption({ redeemedAt: at(i / 10) }),
    );
    const flags = detectBursts(many);
    expect(flags).to.have.length(1);
    expect(flags[0]!.dedupKey).to.equal(`burst:${VENUE}:2026-06-15T10:00:00.000Z`);
    expect(detectBursts(many.slice(1))).to.deep.equal([]);
  });

  it('does not count two venues together as a burst', () => {
    const half = FRAUD_RULES.burstMaxRedemptions;
    const list = [
      ...Array.from({ length: half }, () => buildRedemption()),
      ...Array.from({ length: half }, () =>
        buildRedemption({ venueId: '00000000-0000-4000-8000-00000000ae02' }),
      ),
    ];
    expect(detectBursts(list)).to.deep.equal([]);
  });

  it('flags passes of one booklet used beyond the highest price within the window', () => {
    const pass = (voucherId: string) => ({ voucherId, batchId: BATCH, booklet: 3 });
    const first = buildRedemption({ redeemedAt: at(0), passes: [pass('1')] });
    const second = buildRedemption({ redeemedAt: at(20), passes: [pass('2')] });
    const flags = detectBookletOveruse([first, second], 'Europe/Paris');
    expect(flags).to.have.length(1);
    expect(flags[0]!.details).to.deep.include({ booklet: 3, passes: 2, highestPrice: 1 });
    expect(flags[0]!.details.redemptionIds).to.deep.equal([first.id, second.id]);
  });

  it('does not flag a basket paying its price, nor the same booklet used again after the window', () => {
    const pass = (voucherId: string) => ({ voucherId, batchId: BATCH, booklet: 4 });
    const basket = buildRedemption({ pricePasses: 3, passes: [pass('1'), pass('2'), pass('3')] });
    expect(detectBookletOveruse([basket], 'Europe/Paris')).to.deep.equal([]);
    const later = buildRedemption({
      redeemedAt: at(FRAUD_RULES.bookletWindowMinutes + 1),
      passes: [pass('4')],
    });
    expect(detectBookletOveruse([basket, later], 'Europe/Paris')).to.deep.equal([]);
    // Within the window, a one-pass service after a three-pass one: 4 passes > 3.
    const soon = buildRedemption({ redeemedAt: at(5), passes: [pass('5')] });
    expect(detectBookletOveruse([basket, soon], 'Europe/Paris')).to.have.length(1);
  });

  it('flags a redemption while the venue is closed, not while open or when hours are unknown', () => {
    const hours = 'Mo-Fr 09:00-17:00';
    const sundayNight = buildRedemption({
      openingHours: hours,
      redeemedAt: new Date('2026-06-14T01:00:00Z'),
    });
    const mondayMorning = buildRedemption({
      openingHours: hours,
      redeemedAt: new Date('2026-06-15T08:00:00Z'),
    });
    const unknown = buildRedemption({ openingHours: null, redeemedAt: new Date('2026-06-14T01:00:00Z') });
    const flags = detectOutsideOpeningHours([sundayNight, mondayMorning, unknown], openStateAt);
    expect(flags.map((f) => f.redemptionId)).to.deep.equal([sundayNight.id]);
  });

  it('reads opening hours in Paris time whatever the server’s zone', () => {
    // 07:30 UTC is 09:30 in Paris in summer: open.
    expect(openStateAt('Mo-Fr 09:00-17:00', new Date('2026-06-15T07:30:00Z'))).to.equal('open');
    expect(openStateAt('Mo-Fr 09:00-17:00', new Date('2026-06-15T06:30:00Z'))).to.equal('closed');
    expect(openStateAt('pas des heures', new Date())).to.equal('unknown');
  });

  it('flags a pass tried at a venue other than the one that redeemed it', () => {
    const base = {
      voucherId: '9',
      redeemedAtVenueId: 'a',
      redemptionAssociationId: 'x',
      triedByAssociationId: 'y',
      at: new Date(),
    };
    expect(passAtTwoVenues({ ...base, triedAtVenueId: 'a' })).to.equal(undefined);
    expect(passAtTwoVenues({ ...base, triedAtVenueId: 'b' })?.dedupKey).to.equal('pass_at_two_venues:9:b');
  });
});
