import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { knownEnvironmentVariables } from '@pass/config';
import { expect } from 'chai';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');

interface ComposeService {
  environment?: Record<string, string>;
  command?: string[];
  healthcheck?: { test: string[] };
  image?: string;
  build?: { dockerfile: string };
}

// No Docker engine runs here: these tests check the compose file against the code instead.
describe('deploy files', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const appServices = Object.entries(compose.services).filter(([, s]) =>
    s.image?.startsWith('pass-numerique'),
  );
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;

  it('runs PostgreSQL 16 and Redis 7 with healthchecks', () => {
    expect(compose.services.postgres?.image).to.equal('postgres:16');
    expect(compose.services.redis?.image).to.equal('redis:7');
    expect(compose.services.postgres?.healthcheck).to.exist;
    expect(compose.services.redis?.healthcheck).to.exist;
    expect(JSON.stringify(compose.services.redis)).to.include('noeviction');
  });

  it('sets only environment variables the config schema knows', () => {
    const known = new Set(knownEnvironmentVariables());
    expect(appServices.length).to.be.at.least(3);
    for (const [name, service] of appServices) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(known.has(variable), `${name} sets unknown ${variable}`).to.equal(true);
      }
    }
  });

  it('runs commands that exist (npm scripts, CLI commands) and a Dockerfile that exists', async () => {
    const { serviceModules } = await import('@pass/gateway');
    const cliCommands = new Set([
      'migrate',
      'migrate:down',
      'migrate:status',
      'seed:demo',
      ...serviceModules.flatMap((m) => (m.commands ?? []).map((c) => c.name)),
    ]);
    for (const [name, service] of appServices) {
      expect(existsSync(path.join(root, service.build!.dockerfile)), name).to.equal(true);
      const commands = [service.command, service.healthcheck?.test.slice(1)].filter((c): c is string[] =>
        Array.isArray(c),
      );
      for (const command of commands) {
        if (command[0] !== 'npm') continue;
        const script = command[1] === 'run' ? command.filter((c) => !c.startsWith('--'))[2] : command[1];
        expect(
          script === 'start' || scripts[script!] !== undefined,
          `${name}: npm script ${script}`,
        ).to.equal(true);
        const dashDash = command.indexOf('--');
        if (script === 'cli' && dashDash > 0) {
          expect(cliCommands.has(command[dashDash + 1]!), `${name}: cli ${command[dashDash + 1]}`).to.equal(
            true,
          );
        }
      }
    }
  });

  it('uses a multi-stage Dockerfile that runs as a non-root user', () => {
    const dockerfile = readFileSync(path.join(root, 'infra/Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).to.be.at.least(2);
    expect(dockerfile).to.match(/^USER node$/m);
  });
});
