import { type Config, ConfigError, loadConfig } from '@pass/config';
import { createLogger } from '@pass/logger';
import { startSystem } from './server';

/** `npm start`: the whole system on the embedded default, or production when DATABASE_URL is set. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const system = await startSystem(config, { logger });

  const out: string[] = [];
  out.push('');
  out.push(
    `Pass numérique — clearing system (${config.mode === 'embedded' ? 'embedded: PGlite in ' + config.dataDir : 'production'})`,
  );
  if (system.url) {
    out.push(`  Web app      ${system.url}/`);
    out.push(`  API docs     ${system.url}/api/docs`);
    out.push(`  Readiness    ${system.url}/readyz`);
  } else {
    out.push('  Worker process: no HTTP server (SERVICE_ROLE=worker)');
  }
  if (system.demo) {
    out.push('');
    out.push('  Demo logins (created now, on an empty database):');
    for (const login of system.demo.logins) {
      out.push(`    ${login.label.padEnd(28)} ${login.email.padEnd(40)} ${login.password}`);
    }
    for (const line of system.demo.lines) out.push(`  ${line}`);
  } else if (config.demoSeed) {
    out.push('');
    out.push('  Demo data already present; demo logins use the password "demo-pass-numerique".');
  }
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutdown.started');
    const force = setTimeout(() => {
      logger.error('shutdown.timeout');
      process.exit(1);
    }, 30_000);
    force.unref();
    system
      .stop()
      .then(() => {
        logger.info('shutdown.done');
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown.failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
