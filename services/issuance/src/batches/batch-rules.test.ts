import { Money } from '@pass/money';
import { expect } from 'chai';
import { decideActivation, decideClose, decideFunding, decideSubmit } from './batch-rules';

const total = Money.parse('10480.00');
const completed = { state: 'completed' as const, generated: 1000, total: 1000 };

describe('batch rules', () => {
  it('submits only a draft', () => {
    expect(decideSubmit({ status: 'draft' }).ok).to.equal(true);
    expect(decideSubmit({ status: 'awaiting_funding' })).to.deep.equal({
      ok: false,
      refusal: { reason: 'batch_not_draft', status: 'awaiting_funding' },
    });
  });

  it('records funding once, while awaiting funding, for exactly the quote', () => {
    expect(decideFunding({ status: 'awaiting_funding' }, false, total, Money.parse('10480.00')).ok).to.equal(
      true,
    );
    const short = decideFunding({ status: 'awaiting_funding' }, false, total, Money.parse('10479.99'));
    expect(short.ok === false && short.refusal.reason).to.equal('funding_amount_mismatch');
    expect(decideFunding({ status: 'awaiting_funding' }, true, total, total)).to.deep.equal({
      ok: false,
      refusal: { reason: 'batch_already_funded' },
    });
    const draft = decideFunding({ status: 'draft' }, false, total, total);
    expect(draft.ok === false && draft.refusal.reason).to.equal('batch_not_awaiting_funding');
  });

  it('activates only a funded batch whose passes all exist', () => {
    expect(decideActivation({ status: 'awaiting_funding' }, true, completed).ok).to.equal(true);
    expect(decideActivation({ status: 'awaiting_funding' }, false, completed)).to.deep.equal({
      ok: false,
      refusal: { reason: 'batch_not_funded' },
    });
    expect(
      decideActivation({ status: 'awaiting_funding' }, true, {
        state: 'running',
        generated: 400,
        total: 1000,
      }),
    ).to.deep.equal({ ok: false, refusal: { reason: 'generation_incomplete', generated: 400, total: 1000 } });
    const active = decideActivation({ status: 'active' }, true, completed);
    expect(active.ok === false && active.refusal.reason).to.equal('batch_not_awaiting_funding');
  });

  it('closes drafts and unfunded orders, never a funded one, and an active batch only without usable passes', () => {
    expect(decideClose({ status: 'draft' }, false, { available: 0 }).ok).to.equal(true);
    expect(decideClose({ status: 'awaiting_funding' }, false, { available: 10 }).ok).to.equal(true);
    expect(decideClose({ status: 'awaiting_funding' }, true, { available: 10 })).to.deep.equal({
      ok: false,
      refusal: { reason: 'batch_funded_not_active' },
    });
    expect(decideClose({ status: 'active' }, true, { available: 3 })).to.deep.equal({
      ok: false,
      refusal: { reason: 'batch_has_usable_vouchers', available: 3 },
    });
    expect(decideClose({ status: 'active' }, true, { available: 0 }).ok).to.equal(true);
    expect(decideClose({ status: 'closed' }, true, { available: 0 }).ok).to.equal(false);
  });
});
