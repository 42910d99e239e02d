import { ForbiddenError, NotFoundError, UnauthorizedError } from '@pass/errors';
import type { NextFunction, Request, Response } from 'express';
import { isOperator, type Principal, type Role } from './roles';
import type { TokenService } from './tokens';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** Resolves a venue scanner's device token to its principal (the registry implements it). */
export type DeviceTokenResolver = (token: string) => Promise<Principal | undefined>;

/**
 * Reads `Authorization: Bearer <jwt>` (people) or `Authorization: Device <token>` (venue scanners) and puts
 * the principal on the request. Anonymous requests pass through; `requireAuth` refuses them. Expiry is judged
 * by `clock`, the same clock that stamped the token at login.
 */
export function authenticate(tokens: TokenService, resolveDevice: DeviceTokenResolver, clock: () => Date) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const [scheme, value] = header.split(' ', 2);
    if (!value) return next(new UnauthorizedError('invalid_token', 'Malformed Authorization header.'));
    if (scheme === 'Bearer') {
      req.principal = tokens.verifyAccessToken(value, clock());
      return next();
    }
    if (scheme === 'Device') {
      const principal = await resolveDevice(value);
      if (!principal)
        return next(new UnauthorizedError('invalid_device_token', 'Unknown or revoked device.'));
      req.principal = principal;
      return next();
    }
    return next(new UnauthorizedError('invalid_token', 'Unsupported authorization scheme.'));
  };
}

/** Returns the principal or throws 401. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}

/** Throws 403 unless the principal has one of the roles. */
export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new ForbiddenError('forbidden_role', 'Your role does not allow this action.');
  }
}

/**
 * Tenant scoping: operators see every organisation; anyone else only their own. Another tenant's object
 * answers 404, never 403, so its existence does not leak.
 */
export function assertSameOrganisation(
  principal: Principal,
  organisationId: string | null | undefined,
): void {
  if (isOperator(principal)) return;
  if (!organisationId || organisationId !== principal.organisationId) throw new NotFoundError();
}
