import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { DeviceTokenResolver, TokenService } from '@pass/auth';
import type { Config } from '@pass/config';
import type { Migration } from '@pass/db';
import type { Logger } from '@pass/logger';
import type { JobQueue, OutboxRelay } from '@pass/queue';
import type { Router } from 'express';
import type { Knex } from 'knex';

/** Wall clock, injected so that time-dependent rules are testable. */
export type Clock = () => Date;

/** What every service receives from the composition root. */
export interface AppContext {
  config: Config;
  knex: Knex;
  logger: Logger;
  queue: JobQueue;
  outbox: OutboxRelay;
  tokens: TokenService;
  clock: Clock;
}

/** A CLI command a service contributes (`npm run cli -- <name>`). */
export interface CliCommand {
  name: string;
  summary: string;
  usage?: string;
  run(ctx: AppContext, args: string[]): Promise<{ exitCode: number; output: string }>;
}

/** A named invariant check run by `ledger:check` (per funder, per association…). */
export interface InvariantCheck {
  name: string;
  run(
    knex: Knex,
  ): Promise<{ ok: boolean; summary: string; problems: { message: string; rows?: unknown[] }[] }>;
}

/**
 * A bounded context as the gateway composes it: its migrations, its HTTP routes (mounted under /api/v1),
 * its jobs and schedules, CLI commands, invariant checks and demo data. Services never import each other.
 */
export interface ServiceModule {
  name: string;
  migrations: Migration[];
  /** Routes; `openapi` is where they document themselves. */
  createRouter?(ctx: AppContext, openapi: OpenAPIRegistry): Router;
  /** Registers job handlers and schedules (workers). */
  registerJobs?(ctx: AppContext): Promise<void> | void;
  commands?: CliCommand[];
  invariants?(ctx: AppContext): InvariantCheck[];
  /** Resolves device tokens (only the registry implements it). */
  deviceResolver?(ctx: AppContext): DeviceTokenResolver;
  /**
   * Creates demo data on an empty database. Modules run in order and share `demo`, a bag of ids and facts
   * (e.g. `demo.funderId`) so later modules build on earlier ones without importing them.
   */
  seedDemo?(ctx: AppContext, demo: DemoBag): Promise<void>;
}

export interface DemoBag {
  ids: Record<string, string>;
  /** Lines printed at start-up (logins, URLs). */
  lines: string[];
  /** Demo logins: role → e-mail and password. */
  logins: { role: string; email: string; password: string; label: string }[];
}
