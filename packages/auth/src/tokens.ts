import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '@pass/errors';
import jwt from 'jsonwebtoken';
import type { OrganisationKind, Principal, Role } from './roles';

export interface TokenServiceOptions {
  privateKeyPem: string;
  publicKeyPem: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
}

interface AccessClaims {
  sub: string;
  role: Role;
  org: string;
  okind: OrganisationKind;
  venue?: string;
  oadm?: boolean;
}

/** Random opaque token (refresh, device, invitation): 256 bits, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed: a database dump does not give working tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Short-lived ES256 access tokens. Verification pins the algorithm, issuer and audience so `alg: none` and
 * HS256-with-the-public-key tokens are refused.
 */
export class TokenService {
  readonly keyId: string;
  private readonly options: TokenServiceOptions;

  constructor(options: TokenServiceOptions) {
    this.options = options;
    const der = createPublicKey(options.publicKeyPem).export({ type: 'spki', format: 'der' });
    this.keyId = createHash('sha256').update(der).digest('base64url').slice(0, 16);
  }

  /** Signs an access token for a user principal; returns the token and its lifetime in seconds. */
  issueAccessToken(principal: Principal, now = new Date()): { token: string; expiresIn: number } {
    const claims: AccessClaims = {
      sub: principal.subjectId,
      role: principal.role,
      org: principal.organisationId,
      okind: principal.organisationKind,
      ...(principal.venueId ? { venue: principal.venueId } : {}),
      ...(principal.orgAdmin ? { oadm: true } : {}),
    };
    const token = jwt.sign({ ...claims, iat: Math.floor(now.getTime() / 1000) }, this.options.privateKeyPem, {
      algorithm: 'ES256',
      expiresIn: this.options.accessTokenTtlSeconds,
      issuer: this.options.issuer,
      audience: this.options.audience,
      keyid: this.keyId,
    });
    return { token, expiresIn: this.options.accessTokenTtlSeconds };
  }

  /** Verifies an access token; throws UnauthorizedError with `token_expired` or `invalid_token`. */
  verifyAccessToken(token: string, now = new Date()): Principal {
    let claims: AccessClaims;
    try {
      claims = jwt.verify(token, this.options.publicKeyPem, {
        algorithms: ['ES256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTimestamp: Math.floor(now.getTime() / 1000),
        clockTolerance: 5,
      }) as AccessClaims;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw new UnauthorizedError('token_expired', 'The access token has expired.', { cause: err });
      }
      throw new UnauthorizedError('invalid_token', 'The access token is not valid.', { cause: err });
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.role !== 'string') {
      throw new UnauthorizedError('invalid_token', 'The access token is not valid.');
    }
    return {
      kind: 'user',
      subjectId: claims.sub,
      userId: claims.sub,
      deviceId: undefined,
      role: claims.role,
      organisationId: claims.org,
      organisationKind: claims.okind,
      venueId: claims.venue,
      orgAdmin: claims.oadm === true,
    };
  }
}
