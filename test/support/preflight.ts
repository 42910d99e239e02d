import net from 'node:net';

/**
 * `npm test` runs against real PostgreSQL and Redis. When they cannot be reached, stop at once with the command
 * that starts them, rather than skipping tests silently.
 */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

const postgres = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redis = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const problems: string[] = [];
if (!(await reachable(postgres))) {
  problems.push(
    `PostgreSQL is not reachable at ${new URL(postgres).host}. Start it, e.g.:\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n  or point TEST_DATABASE_URL at a server (user with CREATEDB).`,
  );
}
if (!(await reachable(redis))) {
  problems.push(
    `Redis is not reachable at ${new URL(redis).host}. Start it, e.g.:\n    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n  or point TEST_REDIS_URL at a server.`,
  );
}
if (problems.length > 0) {
  process.stderr.write(
    `npm test needs PostgreSQL and Redis; no test was run.\n  - ${problems.join('\n  - ')}\n`,
  );
  process.exit(1);
}

/**
 * Test databases are named after the process that made them (`pass_tpl_<pid>_…`, `pass_test_<pid>_…`,
 * `pass_empty_<pid>_…`) and dropped by it; a run that was killed leaves its own behind. On a local server, drop
 * those whose process no longer exists, so they do not pile up.
 */
async function dropOrphanTestDatabases(url: string): Promise<void> {
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname)) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname ~ '^pass_(tpl|test|empty)_[0-9]+_'`,
    );
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2]);
      if (isAlive(pid)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

await dropOrphanTestDatabases(postgres);
