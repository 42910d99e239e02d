import { auditMigrations } from '@pass/audit';
import type { Migration } from '@pass/db';
import type { ServiceModule } from '@pass/http';
import { issuanceModule } from '@pass/issuance';
import { ledgerMigrations } from '@pass/ledger';
import { platformMigrations } from '@pass/queue';
import { redemptionModule } from '@pass/redemption';
import { registryModule } from '@pass/registry';
import { settlementModule } from '@pass/settlement';
import { voucherMigrations } from '@pass/vouchers';
import { createLedgerModule } from './ledger-module';

const businessModules: ServiceModule[] = [registryModule, issuanceModule, redemptionModule, settlementModule];

/** The bounded contexts in dependency order (migrations and demo seeding run in this order), then the ledger's routes, jobs and commands. */
export const serviceModules: ServiceModule[] = [
  ...businessModules,
  createLedgerModule(() => businessModules),
];

/** Migrations of shared packages, run before the services'. */
export const packageMigrations: Migration[] = [
  ...platformMigrations,
  ...auditMigrations,
  ...ledgerMigrations,
  ...voucherMigrations,
];

/** Every migration of the system, in execution order. */
export const allMigrations: Migration[] = [
  ...packageMigrations,
  ...serviceModules.flatMap((m) => m.migrations),
];
