import { assertRole } from '@pass/auth';
import type { Db } from '@pass/db';
import { ApiRouter, type AppContext, type InvariantCheck, isoDate, type ServiceModule } from '@pass/http';
import {
  exportFec,
  type LedgerCheck,
  ledgerCheckCommand,
  ledgerSealCommand,
  ledgerVerifyCommand,
  runLedgerChecks,
  toJson,
  verifyChain,
  writeFec,
} from '@pass/ledger';
import { z } from 'zod';

/** How often the sealing job chains new entries (off the redemption hot path). */
export const SEAL_SCHEDULE = '* * * * *';

/**
 * The ledger is a package; this module is where the composition root exposes it: the invariant checks of every
 * service (`ledger:check`), the hash chain (`ledger:verify`, `ledger:seal`, a job every minute), and the FEC.
 * It lists the other modules' checks, so it is built from them rather than imported by them.
 */
export function createLedgerModule(others: () => ServiceModule[]): ServiceModule {
  const checksOf = (ctx: AppContext): LedgerCheck[] =>
    others().flatMap((module) =>
      module.invariants ? module.invariants(ctx) : [],
    ) as InvariantCheck[] as LedgerCheck[];

  const organisationNames = async (db: Db): Promise<Map<string, string>> => {
    const rows = await db('registry.organisations').select<{ id: string; name: string }[]>('id', 'name');
    return new Map(rows.map((row) => [row.id, row.name]));
  };

  const fecOptions = async (
    ctx: AppContext,
    from: string,
    to: string,
    separator: '|' | '\t',
    fiscalYearEnd?: string,
  ) => {
    const names = await organisationNames(ctx.knex);
    return {
      siren: ctx.config.operator.siren,
      fiscalYearEnd: fiscalYearEnd ?? to,
      from,
      to,
      separator,
      auxiliary: (_type: 'funder' | 'association', id: string) => ({ name: names.get(id) }),
    };
  };

  return {
    name: 'ledger',
    migrations: [],
    createRouter(ctx, openapi) {
      const api = new ApiRouter(openapi);
      api.get(
        '/ledger/check',
        {
          summary:
            'Run every ledger invariant (balanced entries, books sum to zero, per funder and association)',
          tags: ['ledger'],
          access: ['operator_admin', 'operator_finance'],
          response: z.record(z.string(), z.unknown()),
        },
        async () => JSON.parse(toJson(await runLedgerChecks(ctx.knex, checksOf(ctx)))),
      );
      api.post(
        '/ledger/verify',
        {
          summary: 'Recompute the SHA-256 hash chain and name the first broken link',
          tags: ['ledger'],
          access: ['operator_admin', 'operator_finance'],
          response: z.record(z.string(), z.unknown()),
        },
        async () => JSON.parse(toJson(await verifyChain(ctx.knex))),
      );
      api.get(
        '/ledger/fec',
        {
          summary: 'Download the FEC (fichier des écritures comptables) for a period',
          tags: ['ledger'],
          access: ['operator_finance'],
          query: z
            .object({
              from: isoDate,
              to: isoDate,
              fiscalYearEnd: isoDate.optional(),
              separator: z.enum(['pipe', 'tab']).default('pipe'),
            })
            .strict(),
          produces: { 'text/plain': 'FEC file, ISO-8859-15' },
        },
        async ({ query, principal, res }) => {
          assertRole(principal!, ['operator_finance']);
          const options = await fecOptions(
            ctx,
            query.from,
            query.to,
            query.separator === 'tab' ? '\t' : '|',
            query.fiscalYearEnd,
          );
          const { fileName, content } = await exportFec(ctx.knex, options);
          res.setHeader('Content-Type', 'text/plain; charset=iso-8859-15');
          res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
          res.send(content);
        },
      );
      return api.router;
    },
    async registerJobs(ctx) {
      ctx.queue.register({
        name: 'ledger.seal',
        attempts: 3,
        handler: async () => (await ledgerSealCommand(ctx.knex, { maxEntries: 200_000, waitMs: 0 })).output,
      });
      await ctx.queue.schedule({ id: 'ledger-seal', pattern: SEAL_SCHEDULE, jobName: 'ledger.seal' });
    },
    commands: [
      {
        name: 'ledger:check',
        summary: 'Check every ledger invariant (exit 1 on any failure)',
        usage: 'ledger:check [--json]',
        run: (ctx, args) => ledgerCheckCommand(ctx.knex, checksOf(ctx), { json: args.includes('--json') }),
      },
      {
        name: 'ledger:verify',
        summary: 'Recompute the hash chain and name the first broken link (exit 1 if broken)',
        usage: 'ledger:verify [--json]',
        run: (ctx, args) => ledgerVerifyCommand(ctx.knex, { json: args.includes('--json') }),
      },
      {
        name: 'ledger:seal',
        summary: 'Seal the entries that can be sealed now into hash-chained blocks',
        usage: 'ledger:seal [--json]',
        run: (ctx, args) => ledgerSealCommand(ctx.knex, { json: args.includes('--json') }),
      },
      {
        name: 'ledger:fec',
        summary: 'Write the FEC for a period to a file (name <SIREN>FEC<AAAAMMJJ>.txt)',
        usage: 'ledger:fec --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR] [--tab]',
        run: async (ctx, args) => {
          const value = (flag: string) => {
            const i = args.indexOf(flag);
            return i >= 0 ? args[i + 1] : undefined;
          };
          const from = value('--from');
          const to = value('--to');
          if (!from || !to) return { exitCode: 2, output: 'ledger:fec needs --from and --to (YYYY-MM-DD).' };
          const { createWriteStream } = await import('node:fs');
          const path = await import('node:path');
          const options = await fecOptions(ctx, from, to, args.includes('--tab') ? '\t' : '|');
          const { fecBaseName } = await import('@pass/ledger');
          const file = path.join(
            value('--out') ?? '.',
            `${fecBaseName(options.siren, options.fiscalYearEnd)}.txt`,
          );
          const out = createWriteStream(file);
          const summary = await writeFec(ctx.knex, options, out);
          await new Promise<void>((resolve, reject) =>
            out.end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
          return {
            exitCode: 0,
            output: `Wrote ${file}: ${summary.entries} entries, ${summary.lines} lines.`,
          };
        },
      },
    ],
  };
}
