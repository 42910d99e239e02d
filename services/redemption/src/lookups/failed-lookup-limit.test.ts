import type { Principal } from '@pass/auth';
import { expect } from 'chai';
import {
  FAILED_LOOKUP_POLICY,
  lookupAllowance,
  lookupScopesOf,
  lookupWindowStart,
  minuteOf,
} from './failed-lookup-limit';

function buildPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    kind: 'device',
    subjectId: 'd1',
    userId: undefined,
    deviceId: 'd1',
    role: 'venue_agent',
    organisationId: 'a1',
    organisationKind: 'association',
    venueId: 'v1',
    orgAdmin: false,
    ...overrides,
  };
}

describe('failed-lookup limit', () => {
  it('counts a scanner per device and a signed-in agent per user, both per venue', () => {
    expect(lookupScopesOf(buildPrincipal(), 'v1')).to.deep.equal({ venue: 'venue:v1', device: 'device:d1' });
    expect(lookupScopesOf(buildPrincipal({ kind: 'user', subjectId: 'u1' }), 'v1').device).to.equal(
      'user:u1',
    );
  });

  it('allows lookups below both limits and refuses at either', () => {
    const { maxPerDevice, maxPerVenue } = FAILED_LOOKUP_POLICY;
    expect(lookupAllowance({ device: maxPerDevice - 1, venue: maxPerVenue - 1 })).to.deep.equal({ ok: true });
    expect(lookupAllowance({ device: maxPerDevice, venue: 0 })).to.deep.include({
      ok: false,
      scope: 'device',
    });
    expect(lookupAllowance({ device: 0, venue: maxPerVenue })).to.deep.include({ ok: false, scope: 'venue' });
  });

  it('buckets failures per minute over a sliding window', () => {
    const now = new Date('2026-06-15T10:07:42.123Z');
    expect(minuteOf(now).toISOString()).to.equal('2026-06-15T10:07:00.000Z');
    expect(lookupWindowStart(now).toISOString()).to.equal('2026-06-15T09:57:42.123Z');
  });
});
