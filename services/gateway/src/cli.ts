import { type Config, ConfigError, loadConfig } from '@pass/config';
import { migrateDownAll, migrateLatest, migrationStatus } from '@pass/db';
import type { CliCommand } from '@pass/http';
import { createLogger } from '@pass/logger';
import { createRuntime } from './context';
import { allMigrations, serviceModules } from './modules';
import { seedDemoIfEmpty } from './server';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3 } as const;

const builtins: CliCommand[] = [
  {
    name: 'migrate',
    summary: 'Apply every pending migration',
    run: async (ctx, args) => {
      const applied = await migrateLatest(ctx.knex, allMigrations);
      return output(
        args,
        { applied },
        `Applied ${applied.length} migration(s).${applied.map((n) => `\n  ${n}`).join('')}`,
      );
    },
  },
  {
    name: 'migrate:down',
    summary: 'Roll back every migration (drops all data)',
    run: async (ctx, args) => {
      const reverted = await migrateDownAll(ctx.knex, allMigrations);
      return output(args, { reverted }, `Rolled back ${reverted.length} migration(s).`);
    },
  },
  {
    name: 'migrate:status',
    summary: 'List applied and pending migrations',
    run: async (ctx, args) => {
      const status = await migrationStatus(ctx.knex, allMigrations);
      return output(
        args,
        status,
        `Applied: ${status.applied.length}, pending: ${status.pending.length}${status.pending.map((n) => `\n  pending ${n}`).join('')}`,
      );
    },
  },
  {
    name: 'seed:demo',
    summary: 'Create the demo organisations and logins on an empty database',
    run: async (ctx, args) => {
      await migrateLatest(ctx.knex, allMigrations);
      const demo = await seedDemoIfEmpty(
        { ctx, database: undefined as never, close: async () => {} },
        serviceModules,
      );
      if (!demo) return output(args, { seeded: false }, 'The database is not empty: nothing seeded.');
      return output(
        args,
        { seeded: true, logins: demo.logins },
        ['Demo seeded. Logins:', ...demo.logins.map((l) => `  ${l.label}: ${l.email} / ${l.password}`)].join(
          '\n',
        ),
      );
    },
  },
];

function output(args: string[], json: unknown, text: string): { exitCode: number; output: string } {
  return { exitCode: EXIT.ok, output: args.includes('--json') ? JSON.stringify(json, null, 2) : text };
}

function allCommands(): CliCommand[] {
  return [...builtins, ...serviceModules.flatMap((m) => m.commands ?? [])];
}

function help(): string {
  const lines = ['Usage: npm run cli -- <command> [options]', '', 'Commands:'];
  for (const command of allCommands()) {
    lines.push(`  ${(command.usage ?? command.name).padEnd(44)} ${command.summary}`);
  }
  lines.push(
    '',
    'Options: --json (machine-readable output), --help',
    '',
    `Exit codes: 0 ok, 1 failure or check failed, 2 usage error, 3 configuration error.`,
  );
  return lines.join('\n');
}

/** Runs one CLI command; returns its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = allCommands().find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help')) {
    process.stdout.write(`${command.usage ?? command.name}\n  ${command.summary}\n`);
    return EXIT.ok;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
  const runtime = await createRuntime(config, {
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  try {
    const result = await command.run(runtime.ctx, args);
    process.stdout.write(`${result.output}\n`);
    return result.exitCode;
  } finally {
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(EXIT.failure);
    });
}
