import { expect } from 'chai';
import {
  ACCREDITATION_ACTIONS,
  ACCREDITATION_STATUSES,
  allowedAccreditationActions,
  changeAccreditation,
} from './venue';
import { buildVenue } from './venue-test-builders';

const now = new Date('2026-03-01T09:00:00Z');

describe('venue accreditation', () => {
  it('accredits an applied venue and records from, to, reason and time', () => {
    const result = changeAccreditation(
      buildVenue({ accreditationStatus: 'applied' }),
      'accredit',
      ' Visite faite ',
      now,
    );
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.change.venue.accreditationStatus).to.equal('accredited');
    expect(result.change.event).to.deep.equal({
      from: 'applied',
      to: 'accredited',
      reason: 'Visite faite',
      at: now,
    });
  });

  it('leaves the original venue untouched', () => {
    const venue = buildVenue({ accreditationStatus: 'applied' });
    changeAccreditation(venue, 'accredit', null, now);
    expect(venue.accreditationStatus).to.equal('applied');
  });

  it('refuses to accredit a venue without an association (an imported venue not yet attached)', () => {
    expect(changeAccreditation(buildVenue({ associationId: null }), 'accredit', null, now)).to.deep.equal({
      ok: false,
      reason: 'association_required',
    });
  });

  it('refuses to accredit a venue whose commune has no INSEE code', () => {
    expect(changeAccreditation(buildVenue({ inseeCode: null }), 'accredit', null, now)).to.deep.equal({
      ok: false,
      reason: 'insee_code_required',
    });
  });

  it('requires a reason to suspend or revoke', () => {
    const accredited = buildVenue({ accreditationStatus: 'accredited' });
    expect(changeAccreditation(accredited, 'suspend', '  ', now)).to.deep.equal({
      ok: false,
      reason: 'reason_required',
    });
    expect(changeAccreditation(accredited, 'revoke', undefined, now)).to.deep.equal({
      ok: false,
      reason: 'reason_required',
    });
    expect(changeAccreditation(accredited, 'suspend', 'Contrôle en cours', now)).to.deep.include({
      ok: true,
    });
  });

  it('follows listed → applied → accredited → suspended → accredited → revoked', () => {
    let venue = buildVenue({ accreditationStatus: 'listed' });
    for (const [action, expected] of [
      ['apply', 'applied'],
      ['accredit', 'accredited'],
      ['suspend', 'suspended'],
      ['reinstate', 'accredited'],
      ['revoke', 'revoked'],
    ] as const) {
      const result = changeAccreditation(venue, action, 'motif', now);
      if (!result.ok) throw new Error(`${action} refused: ${result.reason}`);
      venue = result.change.venue;
      expect(venue.accreditationStatus).to.equal(expected);
    }
  });

  it('allows exactly the documented transitions from every status', () => {
    const allowed: Record<string, string[]> = {
      listed: ['apply'],
      applied: ['accredit', 'revoke'],
      accredited: ['suspend', 'revoke'],
      suspended: ['reinstate', 'revoke'],
      revoked: [],
    };
    for (const status of ACCREDITATION_STATUSES) {
      expect(allowedAccreditationActions(status), status).to.deep.equal(allowed[status]);
      for (const action of ACCREDITATION_ACTIONS) {
        const result = changeAccreditation(buildVenue({ accreditationStatus: status }), action, 'motif', now);
        expect(result.ok, `${action} from ${status}`).to.equal(allowed[status]!.includes(action));
        if (!result.ok) expect(result.reason).to.equal('invalid_transition');
      }
    }
  });
});
