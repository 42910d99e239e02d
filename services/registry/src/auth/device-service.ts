import { recordAudit } from '@pass/audit';
import { hashToken, type Principal, randomToken } from '@pass/auth';
import { NotFoundError } from '@pass/errors';
import type { Knex } from 'knex';

export interface DeviceView {
  id: string;
  venueId: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

interface DbDeviceRow {
  id: string;
  venue_id: string;
  name: string;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
}

function toView(row: DbDeviceRow): DeviceView {
  return {
    id: row.id,
    venueId: row.venue_id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/**
 * How long a resolved device token is trusted without reading the database again. Every redemption
 * authenticates its scanner, so the lookup is on the hot path; a revocation takes effect at once in the
 * process that revokes and within this delay in the others.
 */
export const DEVICE_CACHE_MS = 10_000;

interface CachedDevice {
  principal: Principal;
  deviceId: string;
  until: number;
}

// One cache per database (per app), shared by every DeviceService on it, so a revocation evicts what the
// resolver cached. Keyed by the token's hash, never by the token itself.
const caches = new WeakMap<Knex, Map<string, CachedDevice>>();
const MAX_CACHED = 10_000;

/** Revocable device tokens for venue scanners, stored hashed. */
export class DeviceService {
  private readonly cache: Map<string, CachedDevice>;

  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {
    let cache = caches.get(knex);
    if (!cache) {
      cache = new Map();
      caches.set(knex, cache);
    }
    this.cache = cache;
  }

  /** Registers a scanner for a venue; the token is returned once and never stored in clear. */
  async create(
    actor: Principal,
    venueId: string,
    name: string,
    now: Date,
    requestId?: string,
  ): Promise<{ device: DeviceView; token: string }> {
    const token = randomToken();
    return this.knex.transaction(async (trx) => {
      const venue = await trx('registry.venues')
        .where({ id: venueId })
        .first<{ id: string; association_id: string | null } | undefined>();
      if (!venue?.association_id) throw new NotFoundError('venue_not_found', 'Venue not found.');
      if (actor.organisationKind !== 'operator') {
        if (venue.association_id !== actor.organisationId)
          throw new NotFoundError('venue_not_found', 'Venue not found.');
        if (actor.venueId && actor.venueId !== venueId)
          throw new NotFoundError('venue_not_found', 'Venue not found.');
      }
      const [row] = await trx('registry.devices')
        .insert({
          venue_id: venueId,
          name,
          token_hash: hashToken(token),
          created_by: actor.userId ?? null,
          created_at: now,
        })
        .returning<DbDeviceRow[]>('*');
      await recordAudit(trx, {
        actor,
        action: 'device.created',
        targetType: 'device',
        targetId: row!.id,
        organisationId: venue.association_id,
        summary: { venueId, name },
        requestId,
        at: now,
      });
      return { device: toView(row!), token };
    });
  }

  async revoke(actor: Principal, deviceId: string, now: Date, requestId?: string): Promise<DeviceView> {
    return this.knex.transaction(async (trx) => {
      const row = await trx('registry.devices as d')
        .join('registry.venues as v', 'v.id', 'd.venue_id')
        .where('d.id', deviceId)
        .first<(DbDeviceRow & { association_id: string }) | undefined>('d.*', 'v.association_id');
      if (!row || (actor.organisationKind !== 'operator' && row.association_id !== actor.organisationId)) {
        throw new NotFoundError('device_not_found', 'Device not found.');
      }
      const [updated] = await trx('registry.devices')
        .where({ id: deviceId })
        .update({ revoked_at: row.revoked_at ?? now })
        .returning<DbDeviceRow[]>('*');
      for (const [hash, cached] of this.cache) if (cached.deviceId === deviceId) this.cache.delete(hash);
      await recordAudit(trx, {
        actor,
        action: 'device.revoked',
        targetType: 'device',
        targetId: deviceId,
        organisationId: row.association_id,
        requestId,
        at: now,
      });
      return toView(updated!);
    });
  }

  /** Resolves a device token to a venue-agent principal of the venue's association; undefined if unknown or revoked. */
  async resolve(token: string): Promise<Principal | undefined> {
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return cached.principal;
    const principal = await this.lookup(hash);
    if (principal) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(hash, {
        principal: Object.freeze(principal),
        deviceId: principal.deviceId!,
        until: this.now() + DEVICE_CACHE_MS,
      });
    } else {
      this.cache.delete(hash);
    }
    return principal;
  }

  private async lookup(hash: string): Promise<Principal | undefined> {
    const row = await this.knex('registry.devices as d')
      .join('registry.venues as v', 'v.id', 'd.venue_id')
      .where('d.token_hash', hash)
      .whereNull('d.revoked_at')
      .first<{ id: string; venue_id: string; association_id: string | null } | undefined>(
        'd.id',
        'd.venue_id',
        'v.association_id',
      );
    if (!row?.association_id) return undefined;
    return {
      kind: 'device',
      subjectId: row.id,
      userId: undefined,
      deviceId: row.id,
      role: 'venue_agent',
      organisationId: row.association_id,
      organisationKind: 'association',
      venueId: row.venue_id,
      orgAdmin: false,
    };
  }
}
