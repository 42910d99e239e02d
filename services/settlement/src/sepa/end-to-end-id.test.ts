import { expect } from 'chai';
import fc from 'fast-check';
import { endToEndIdFromPayoutId, payoutIdFromEndToEndId } from './end-to-end-id';
import { SepaError } from './sepa-error';
import { isSepaIdentifier } from './sepa-text';

describe('endToEndIdFromPayoutId', () => {
  it('fits a UUID payout id into 35 characters and reads it back', () => {
    fc.assert(
      fc.property(fc.uuid(), (payoutId) => {
        const endToEndId = endToEndIdFromPayoutId(payoutId);
        expect(endToEndId).to.have.length(32);
        expect(isSepaIdentifier(endToEndId)).to.equal(true);
        expect(payoutIdFromEndToEndId(endToEndId)).to.equal(payoutId.toLowerCase());
      }),
    );
  });

  it('reads back an id the bank returned in upper case', () => {
    const payoutId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const shouted = endToEndIdFromPayoutId(payoutId).toUpperCase();
    expect(payoutIdFromEndToEndId(shouted)).to.equal(payoutId);
  });

  it('keeps a short SEPA id as it is', () => {
    expect(endToEndIdFromPayoutId('PO-2026-000042')).to.equal('PO-2026-000042');
    expect(payoutIdFromEndToEndId('PO-2026-000042')).to.equal('PO-2026-000042');
  });

  it('refuses ids that are too long, contain spaces or could be mistaken for a UUID', () => {
    for (const id of ['x'.repeat(36), 'PO 42', '0f8fad5bd9cb469fa16570867728950e']) {
      expect(() => endToEndIdFromPayoutId(id), id)
        .to.throw(SepaError)
        .with.property('code', 'invalid_end_to_end_id');
    }
  });
});
