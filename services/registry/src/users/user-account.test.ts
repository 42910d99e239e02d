import type { Principal } from '@pass/auth';
import { expect } from 'chai';
import {
  checkManager,
  checkRoleFits,
  deactivateAccount,
  reactivateAccount,
  type UserAccount,
} from './user-account';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    kind: 'user',
    subjectId: 'u1',
    userId: 'u1',
    deviceId: undefined,
    role: 'association_treasurer',
    organisationId: ORG,
    organisationKind: 'association',
    venueId: undefined,
    orgAdmin: true,
    ...overrides,
  };
}

function account(overrides: Partial<UserAccount> = {}): UserAccount {
  return {
    id: 'u2',
    organisationId: ORG,
    organisationKind: 'association',
    organisationName: 'Association',
    venueId: null,
    email: 'agent@example.fr',
    displayName: 'Agent',
    role: 'association_treasurer',
    orgAdmin: false,
    status: 'active',
    hasPassword: true,
    lastLoginAt: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

describe('member management rules', () => {
  it('lets an organisation admin manage their own organisation only', () => {
    expect(checkManager(principal(), ORG)).to.deep.equal({ ok: true });
    expect(checkManager(principal(), OTHER_ORG)).to.deep.equal({ ok: false, reason: 'other_organisation' });
  });

  it('refuses a member who is not an admin', () => {
    expect(checkManager(principal({ orgAdmin: false }), ORG)).to.deep.equal({
      ok: false,
      reason: 'not_org_admin',
    });
  });

  it('lets an operator administrator manage every organisation, but not operator finance', () => {
    const admin = principal({
      role: 'operator_admin',
      organisationKind: 'operator',
      organisationId: 'op',
      orgAdmin: false,
    });
    expect(checkManager(admin, OTHER_ORG)).to.deep.equal({ ok: true });
    const finance = principal({
      role: 'operator_finance',
      organisationKind: 'operator',
      organisationId: 'op',
      orgAdmin: false,
    });
    expect(checkManager(finance, OTHER_ORG)).to.deep.equal({ ok: false, reason: 'other_organisation' });
  });

  it('refuses a scanner device even in its own organisation', () => {
    const device = principal({
      kind: 'device',
      userId: undefined,
      deviceId: 'd1',
      role: 'venue_agent',
      orgAdmin: false,
    });
    expect(checkManager(device, ORG)).to.deep.equal({ ok: false, reason: 'not_org_admin' });
  });

  it('matches roles to organisation kinds and venue agents to one venue', () => {
    expect(checkRoleFits('funder_manager', 'funder', undefined)).to.deep.equal({ ok: true });
    expect(checkRoleFits('funder_manager', 'association', undefined)).to.deep.equal({
      ok: false,
      reason: 'role_not_allowed_for_organisation',
    });
    expect(checkRoleFits('operator_admin', 'association', undefined)).to.deep.equal({
      ok: false,
      reason: 'role_not_allowed_for_organisation',
    });
    expect(checkRoleFits('venue_agent', 'association', undefined)).to.deep.equal({
      ok: false,
      reason: 'venue_required',
    });
    expect(checkRoleFits('venue_agent', 'association', 'v1')).to.deep.equal({ ok: true });
    expect(checkRoleFits('association_treasurer', 'association', 'v1')).to.deep.equal({
      ok: false,
      reason: 'venue_not_allowed',
    });
  });

  it('refuses to deactivate oneself', () => {
    expect(deactivateAccount(account({ id: 'u1' }), principal())).to.deep.equal({
      ok: false,
      reason: 'cannot_deactivate_self',
    });
    expect(deactivateAccount(account(), principal())).to.deep.include({ ok: true });
  });

  it('reactivates to active with a password, to invited without', () => {
    expect(reactivateAccount(account({ status: 'deactivated', hasPassword: true })).status).to.equal(
      'active',
    );
    expect(reactivateAccount(account({ status: 'deactivated', hasPassword: false })).status).to.equal(
      'invited',
    );
  });
});
