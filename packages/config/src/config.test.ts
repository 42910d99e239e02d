import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, generateSecrets, knownEnvironmentVariables, loadConfig } from './config';

describe('config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pass-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to embedded mode and generates its keys once in the data folder', () => {
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.mode).to.equal('embedded');
    expect(first.port).to.equal(3000);
    expect(first.demoSeed).to.equal(true);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secrets.jwtPrivateKeyPem).to.equal(first.secrets.jwtPrivateKeyPem);
    expect(second.secrets.voucherHashKey.equals(first.secrets.voucherHashKey)).to.equal(true);
  });

  it('is deeply frozen', () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.operator.address)).to.equal(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).to.throw(TypeError);
  });

  it('names each bad variable', () => {
    try {
      loadConfig({ DATA_DIR: dir, PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'not a url' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).variables).to.include.members(['PORT', 'LOG_LEVEL', 'DATABASE_URL']);
      expect((err as Error).message)
        .to.match(/PORT:/)
        .and.match(/LOG_LEVEL:/);
    }
  });

  it('refuses production mode without real secrets, naming the missing ones', () => {
    try {
      loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://db/pass' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).variables).to.have.members([
        'JWT_PRIVATE_KEY',
        'JWT_PUBLIC_KEY',
        'VOUCHER_SIGNING_KEY',
        'VOUCHER_HASH_KEY',
        'VOUCHER_ENCRYPTION_KEY',
      ]);
    }
  });

  it('reads secrets from *_FILE variables in production mode', () => {
    const secrets = generateSecrets();
    const files: Record<string, string> = {
      JWT_PRIVATE_KEY_FILE: secrets.jwtPrivateKeyPem,
      JWT_PUBLIC_KEY_FILE: secrets.jwtPublicKeyPem,
      VOUCHER_SIGNING_KEY_FILE: secrets.voucherSigningKeyPem,
      VOUCHER_HASH_KEY_FILE: secrets.voucherHashKey,
      VOUCHER_ENCRYPTION_KEY_FILE: secrets.voucherEncryptionKey,
    };
    const env: Record<string, string> = {
      DATA_DIR: dir,
      DATABASE_URL: 'postgres://db/pass',
      REDIS_URL: 'redis://cache:6379',
    };
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      writeFileSync(file, `${content}\n`);
      env[name] = file;
    }
    const config = loadConfig(env);
    expect(config.mode).to.equal('production');
    expect(config.demoSeed).to.equal(false);
    expect(config.secrets.jwtPublicKeyPem.trim()).to.equal(secrets.jwtPublicKeyPem.trim());
    expect(config.secrets.voucherHashKey.toString('base64')).to.equal(secrets.voucherHashKey);
    expect(() => readFileSync(path.join(dir, 'secrets.json'))).to.throw();
  });

  it('refuses a key of the wrong length and a missing secret file', () => {
    const secrets = generateSecrets();
    expect(() =>
      loadConfig({
        DATA_DIR: dir,
        DATABASE_URL: 'postgres://db/pass',
        JWT_PRIVATE_KEY: secrets.jwtPrivateKeyPem,
        JWT_PUBLIC_KEY: secrets.jwtPublicKeyPem,
        VOUCHER_SIGNING_KEY: secrets.voucherSigningKeyPem,
        VOUCHER_HASH_KEY: Buffer.alloc(16).toString('base64'),
        VOUCHER_ENCRYPTION_KEY: secrets.voucherEncryptionKey,
      }),
    ).to.throw(ConfigError, /VOUCHER_HASH_KEY: must be 32 bytes/);
    expect(() => loadConfig({ DATA_DIR: dir, JWT_PRIVATE_KEY_FILE: path.join(dir, 'nope') })).to.throw(
      ConfigError,
      /JWT_PRIVATE_KEY_FILE: cannot read/,
    );
  });

  it('lists every variable it knows, including *_FILE forms', () => {
    const known = knownEnvironmentVariables();
    expect(known).to.include.members(['DATABASE_URL', 'REDIS_URL', 'SERVICE_ROLE', 'JWT_PRIVATE_KEY_FILE']);
  });
});
