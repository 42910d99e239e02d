import { recordAudit } from '@pass/audit';
import { hashPassword, hashToken, isOperator, passwordProblem, randomToken } from '@pass/auth';
import {
  type AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '@pass/errors';
import type { Page } from '@pass/http';
import type { Knex } from 'knex';
import { type Actor, userIdOf } from '../shared/actor';
import type { PageRequest } from '../shared/list-response';
import { type UserFilter, PostgresUserAccountStore } from './postgres-user-account-store';
import {
  checkCanReinvite,
  checkManager,
  checkRoleFits,
  deactivateAccount,
  INVITATION_TTL_DAYS,
  type MemberRefusal,
  reactivateAccount,
  type UserAccount,
} from './user-account';
import type { InviteUserInput } from './user-schemas';

const userNotFound = () => new NotFoundError('user_not_found', 'User not found.');

function refusalError(reason: MemberRefusal): AppError {
  switch (reason) {
    case 'not_org_admin':
      return new ForbiddenError(
        'not_org_admin',
        'Only an administrator of the organisation manages its members.',
      );
    case 'other_organisation':
      return new NotFoundError('organisation_not_found', 'Organisation not found.');
    case 'role_not_allowed_for_organisation':
      return new UnprocessableError(
        'role_not_allowed_for_organisation',
        'This role does not exist in this kind of organisation.',
      );
    case 'venue_required':
      return new UnprocessableError('venue_required', 'A venue agent belongs to one venue: give venueId.');
    case 'venue_not_allowed':
      return new UnprocessableError('venue_not_allowed', 'Only venue agents belong to a venue.');
    case 'cannot_deactivate_self':
      return new ConflictError('cannot_deactivate_self', 'You cannot deactivate your own account.');
    case 'not_invited':
      return new ConflictError('not_invited', 'This person has already set a password or was deactivated.');
    default: {
      const unreachable: never = reason;
      throw new Error(`Unhandled refusal ${unreachable}`);
    }
  }
}

export interface IssuedInvitation {
  user: UserAccount;
  token: string;
  expiresAt: Date;
}

/** Members of organisations: invitations with single-use tokens, deactivation, listing. */
export class UserService {
  private readonly users = new PostgresUserAccountStore();

  constructor(private readonly knex: Knex) {}

  async invite(
    actor: Actor,
    input: InviteUserInput,
    now: Date,
    requestId?: string,
  ): Promise<IssuedInvitation> {
    const organisationId =
      input.organisationId ?? (actor.kind === 'system' ? undefined : actor.organisationId);
    if (!organisationId)
      throw new ValidationError([{ path: 'body.organisationId', code: 'required', message: 'Required.' }]);
    const manager = checkManager(actor, organisationId);
    if (!manager.ok) throw refusalError(manager.reason);
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
    return this.knex.transaction(async (trx) => {
      const organisation = await this.users.organisation(trx, organisationId);
      if (!organisation) throw refusalError('other_organisation');
      const fits = checkRoleFits(input.role, organisation.kind, input.venueId);
      if (!fits.ok) throw refusalError(fits.reason);
      if (input.venueId && (await this.users.venueAssociation(trx, input.venueId)) !== organisationId) {
        throw new NotFoundError('venue_not_found', 'Venue not found.');
      }
      if (await this.users.emailTaken(trx, input.email)) {
        throw new ConflictError('email_taken', 'Someone already has an account with this e-mail.');
      }
      const id = await this.users.insert(
        trx,
        {
          organisationId,
          venueId: input.venueId ?? null,
          email: input.email,
          displayName: input.displayName,
          role: input.role,
          orgAdmin: input.orgAdmin,
        },
        now,
      );
      await this.users.insertInvitation(
        trx,
        { tokenHash: hashToken(token), userId: id, expiresAt, createdBy: userIdOf(actor) ?? null },
        now,
      );
      await recordAudit(trx, {
        actor,
        action: 'user.invited',
        targetType: 'user',
        targetId: id,
        organisationId,
        summary: {
          email: input.email,
          role: input.role,
          orgAdmin: input.orgAdmin,
          venueId: input.venueId ?? null,
        },
        requestId,
        at: now,
      });
      return { user: (await this.users.findById(trx, id))!, token, expiresAt };
    });
  }

  /** A fresh invitation link for someone who has not set a password yet; older links stop working. */
  async reinvite(actor: Actor, userId: string, now: Date, requestId?: string): Promise<IssuedInvitation> {
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
    return this.knex.transaction(async (trx) => {
      const user = await this.managedUser(trx, actor, userId, { forUpdate: true });
      const check = checkCanReinvite(user);
      if (!check.ok) throw refusalError(check.reason);
      await this.users.expireInvitations(trx, userId, now);
      await this.users.insertInvitation(
        trx,
        { tokenHash: hashToken(token), userId, expiresAt, createdBy: userIdOf(actor) ?? null },
        now,
      );
      await recordAudit(trx, {
        actor,
        action: 'user.reinvited',
        targetType: 'user',
        targetId: userId,
        organisationId: user.organisationId,
        summary: { email: user.email },
        requestId,
        at: now,
      });
      return { user, token, expiresAt };
    });
  }

  /** Sets the first password with a single-use invitation token (no login needed). */
  async acceptInvitation(
    token: string,
    password: string,
    now: Date,
    requestId?: string,
  ): Promise<UserAccount> {
    const problem = passwordProblem(password);
    if (problem)
      throw new ValidationError([
        { path: 'body.password', code: problem, message: 'At least 12 characters.' },
      ]);
    // scrypt costs ~50 ms: hash before the transaction so no row stays locked meanwhile.
    const passwordHash = await hashPassword(password);
    const invalid = () =>
      new BadRequestError(
        'invalid_invitation',
        'This invitation link is not valid (used, expired or unknown).',
      );
    const user = await this.knex.transaction(async (trx) => {
      const userId = await this.users.consumeInvitation(trx, hashToken(token), now);
      if (!userId) return undefined;
      if (!(await this.users.activateWithPassword(trx, userId, passwordHash))) return undefined;
      const user = (await this.users.findById(trx, userId))!;
      await recordAudit(trx, {
        actor: { kind: 'system', subjectId: 'invitation' },
        action: 'user.activated',
        targetType: 'user',
        targetId: userId,
        organisationId: user.organisationId,
        summary: { email: user.email },
        requestId,
        at: now,
      });
      return user;
    });
    if (!user) throw invalid();
    return user;
  }

  async deactivate(actor: Actor, userId: string, now: Date, requestId?: string): Promise<UserAccount> {
    return this.knex.transaction(async (trx) => {
      const user = await this.managedUser(trx, actor, userId, { forUpdate: true });
      const result = deactivateAccount(user, actor);
      if (!result.ok) throw refusalError(result.reason);
      if (user.status === 'deactivated') return user;
      await this.users.setStatus(trx, userId, 'deactivated');
      await this.users.revokeRefreshTokens(trx, userId, now);
      await this.users.expireInvitations(trx, userId, now);
      await recordAudit(trx, {
        actor,
        action: 'user.deactivated',
        targetType: 'user',
        targetId: userId,
        organisationId: user.organisationId,
        summary: { email: user.email, previousStatus: user.status },
        requestId,
        at: now,
      });
      return result.user;
    });
  }

  async reactivate(actor: Actor, userId: string, now: Date, requestId?: string): Promise<UserAccount> {
    return this.knex.transaction(async (trx) => {
      const user = await this.managedUser(trx, actor, userId, { forUpdate: true });
      const next = reactivateAccount(user);
      if (next.status === user.status) return user;
      await this.users.setStatus(trx, userId, next.status);
      await recordAudit(trx, {
        actor,
        action: 'user.reactivated',
        targetType: 'user',
        targetId: userId,
        organisationId: user.organisationId,
        summary: { email: user.email, status: next.status },
        requestId,
        at: now,
      });
      return next;
    });
  }

  /** Anyone may read their own account; managers read their members; operators read everyone. */
  async get(actor: Actor, userId: string): Promise<UserAccount> {
    const user = await this.users.findById(this.knex, userId);
    if (!user) throw userNotFound();
    if (actor.kind === 'user' && actor.userId === userId) return user;
    if (actor.kind !== 'system' && isOperator(actor)) return user;
    const manager = checkManager(actor, user.organisationId);
    if (!manager.ok)
      throw manager.reason === 'other_organisation' ? userNotFound() : refusalError(manager.reason);
    return user;
  }

  /** Operators list everyone; an organisation's admins list its members. */
  async list(actor: Actor, filter: UserFilter, page: PageRequest): Promise<Page<UserAccount>> {
    if (actor.kind === 'system' || isOperator(actor)) return this.users.list(this.knex, filter, page);
    const organisationId = filter.organisationId ?? actor.organisationId;
    const manager = checkManager(actor, organisationId);
    if (!manager.ok) throw refusalError(manager.reason);
    return this.users.list(this.knex, { ...filter, organisationId }, page);
  }

  private async managedUser(
    trx: Knex.Transaction,
    actor: Actor,
    userId: string,
    options: { forUpdate?: boolean },
  ) {
    const user = await this.users.findById(trx, userId, options);
    if (!user) throw userNotFound();
    const manager = checkManager(actor, user.organisationId);
    if (!manager.ok)
      throw manager.reason === 'other_organisation' ? userNotFound() : refusalError(manager.reason);
    return user;
  }
}
