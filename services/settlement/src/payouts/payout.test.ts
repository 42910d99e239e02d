import { expect } from 'chai';
import { isSepaText } from '../sepa';
import { confirmTransition, remittanceFor } from './payout';

describe('payout lifecycle', () => {
  it('becomes paid or rejected only once sent to the bank', () => {
    expect(confirmTransition('exported', 'paid')).to.deep.equal({ kind: 'apply' });
    expect(confirmTransition('exported', 'rejected')).to.deep.equal({ kind: 'apply' });
    expect(confirmTransition('created', 'paid')).to.deep.equal({ kind: 'refused', reason: 'not_exported' });
    expect(confirmTransition('held', 'rejected')).to.deep.equal({ kind: 'refused', reason: 'not_exported' });
  });

  it('accepts a return after the debit was booked, but never pays a returned transfer', () => {
    expect(confirmTransition('paid', 'rejected')).to.deep.equal({ kind: 'apply' });
    expect(confirmTransition('rejected', 'paid')).to.deep.equal({
      kind: 'refused',
      reason: 'already_rejected',
    });
  });

  it('treats the same news twice as a duplicate (a bank file imported again)', () => {
    expect(confirmTransition('paid', 'paid')).to.deep.equal({ kind: 'duplicate' });
    expect(confirmTransition('rejected', 'rejected')).to.deep.equal({ kind: 'duplicate' });
  });

  it('puts the statement number first in the remittance information', () => {
    const remittance = remittanceFor('RLV-2026-000123');
    expect(remittance.startsWith('RELEVE RLV-2026-000123')).to.equal(true);
    expect(remittance.slice(0, 35)).to.include('RLV-2026-000123');
    expect(isSepaText(remittance)).to.equal(true);
  });
});
