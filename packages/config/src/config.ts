import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Which processes this instance runs: everything, only HTTP, only jobs, or one service's HTTP routes. */
export const SERVICE_ROLES = [
  'all',
  'api',
  'worker',
  'registry',
  'issuance',
  'redemption',
  'settlement',
] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the system reads. Anything else is ignored. */
export const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: z.url().optional(),
    DATABASE_POOL_MAX: positiveInt.default(10),
    DATABASE_REPLICA_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    SERVICE_ROLE: z.enum(SERVICE_ROLES).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MIGRATE_ON_START: booleanString.default(true),
    DEMO_SEED: booleanString.optional(),
    JWT_PRIVATE_KEY: z.string().min(1).optional(),
    JWT_PUBLIC_KEY: z.string().min(1).optional(),
    JWT_ISSUER: z.string().min(1).default('pass-numerique-clearing'),
    JWT_AUDIENCE: z.string().min(1).default('pass-numerique-api'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
    VOUCHER_SIGNING_KEY: z.string().min(1).optional(),
    VOUCHER_SIGNING_KID: z
      .string()
      .regex(/^[0-9A-Z]{1,4}$/, 'must be 1 to 4 characters among 0-9 A-Z')
      .optional(),
    VOUCHER_RETIRED_PUBLIC_KEYS: z.string().optional(),
    VOUCHER_HASH_KEY: z.string().min(1).optional(),
    VOUCHER_ENCRYPTION_KEY: z.string().min(1).optional(),
    UNDO_WINDOW_HOURS: positiveInt.default(24),
    BUSINESS_TIMEZONE: z.string().min(1).default('Europe/Paris'),
    OPERATOR_NAME: z.string().min(1).default('Chambre de compensation Pass numérique'),
    OPERATOR_SIREN: z
      .string()
      .regex(/^\d{9}$/, 'must be 9 digits')
      .default('000000000'),
    OPERATOR_IBAN: z.string().min(15).default('FR7630006000011234567890189'),
    OPERATOR_BIC: z.string().min(8).default('AGRIFRPPXXX'),
    OPERATOR_STREET: z.string().default('Rue de la Paix'),
    OPERATOR_BUILDING_NUMBER: z.string().default('1'),
    OPERATOR_POSTCODE: z.string().default('75002'),
    OPERATOR_TOWN: z.string().default('Paris'),
    OPERATOR_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('FR'),
  })
  .strip();

export type Environment = z.infer<typeof environmentSchema>;

export interface Secrets {
  jwtPrivateKeyPem: string;
  jwtPublicKeyPem: string;
  voucherSigningKeyPem: string;
  voucherSigningKid: string;
  /** Public keys of retired signing keys, kept so passes printed with them still verify. */
  voucherRetiredPublicKeys: { kid: string; publicKeyPem: string }[];
  voucherHashKey: Buffer;
  voucherEncryptionKey: Buffer;
}

export interface Config {
  mode: 'embedded' | 'production';
  nodeEnv: Environment['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  databaseReplicaUrl: string | undefined;
  redisUrl: string | undefined;
  serviceRole: ServiceRole;
  logLevel: Environment['LOG_LEVEL'];
  migrateOnStart: boolean;
  demoSeed: boolean;
  jwt: { issuer: string; audience: string; accessTokenTtlSeconds: number; refreshTokenTtlDays: number };
  undoWindowHours: number;
  businessTimezone: string;
  operator: {
    name: string;
    siren: string;
    iban: string;
    bic: string;
    address: { street: string; buildingNumber: string; postcode: string; town: string; country: string };
  };
  secrets: Secrets;
}

/** Raised when the environment is invalid; the message names each bad variable. */
export class ConfigError extends Error {
  readonly variables: string[];
  constructor(message: string, variables: string[]) {
    super(message);
    this.name = 'ConfigError';
    this.variables = variables;
  }
}

const SECRET_VARIABLES = [
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEY',
  'VOUCHER_SIGNING_KEY',
  'VOUCHER_HASH_KEY',
  'VOUCHER_ENCRYPTION_KEY',
] as const;

const FILE_VARIABLES = [
  ...SECRET_VARIABLES,
  'VOUCHER_RETIRED_PUBLIC_KEYS',
  'DATABASE_URL',
  'REDIS_URL',
] as const;

/** Replaces each `X_FILE` variable by the content of the file it names (Docker/Kubernetes secrets). */
export function resolveFileVariables(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set; keep one`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return resolved;
}

function formatZodIssues(error: z.ZodError): { message: string; variables: string[] } {
  const variables = error.issues.map((issue) => String(issue.path[0] ?? '?'));
  const lines = error.issues.map((issue) => `${String(issue.path[0] ?? '?')}: ${issue.message}`);
  return { message: `Invalid configuration:\n  - ${lines.join('\n  - ')}`, variables };
}

function decodeKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`Invalid configuration:\n  - ${name}: must be 32 bytes encoded in base64`, [name]);
  }
  return key;
}

function parseRetiredKeys(value: string | undefined): Secrets['voucherRetiredPublicKeys'] {
  if (!value) return [];
  const schema = z.array(z.object({ kid: z.string().min(1), publicKeyPem: z.string().min(1) }));
  const parsed = schema.safeParse(safeJson(value));
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid configuration:\n  - VOUCHER_RETIRED_PUBLIC_KEYS: must be a JSON array of {"kid","publicKeyPem"}',
      ['VOUCHER_RETIRED_PUBLIC_KEYS'],
    );
  }
  return parsed.data;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

interface StoredSecrets {
  jwtPrivateKeyPem: string;
  jwtPublicKeyPem: string;
  voucherSigningKeyPem: string;
  voucherSigningKid: string;
  voucherHashKey: string;
  voucherEncryptionKey: string;
}

/** Generates a full set of secrets (used once by embedded mode, and by tests). */
export function generateSecrets(): StoredSecrets {
  const jwt = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const voucher = generateKeyPairSync('ed25519');
  return {
    jwtPrivateKeyPem: jwt.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwtPublicKeyPem: jwt.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    voucherSigningKeyPem: voucher.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    voucherSigningKid: 'K1',
    voucherHashKey: randomBytes(32).toString('base64'),
    voucherEncryptionKey: randomBytes(32).toString('base64'),
  };
}

/**
 * Embedded mode keeps its generated secrets in the data folder so that passes printed yesterday still verify
 * today. The file is created once, readable by its owner only.
 */
function loadOrCreateEmbeddedSecrets(dataDir: string): StoredSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = generateSecrets();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

function toSecrets(stored: StoredSecrets, retired: Secrets['voucherRetiredPublicKeys']): Secrets {
  return {
    jwtPrivateKeyPem: stored.jwtPrivateKeyPem,
    jwtPublicKeyPem: stored.jwtPublicKeyPem,
    voucherSigningKeyPem: stored.voucherSigningKeyPem,
    voucherSigningKid: stored.voucherSigningKid,
    voucherRetiredPublicKeys: retired,
    voucherHashKey: decodeKey('VOUCHER_HASH_KEY', stored.voucherHashKey),
    voucherEncryptionKey: decodeKey('VOUCHER_ENCRYPTION_KEY', stored.voucherEncryptionKey),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment once: zod validation, `*_FILE` secrets, embedded or production mode. Production mode
 * (DATABASE_URL set) refuses to start without every secret; embedded mode generates them once in DATA_DIR.
 * The result is deeply frozen.
 */
export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): Config {
  const env = resolveFileVariables(rawEnv);
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const { message, variables } = formatZodIssues(parsed.error);
    throw new ConfigError(message, variables);
  }
  const e = parsed.data;
  const mode = e.DATABASE_URL ? 'production' : 'embedded';
  const dataDir = path.resolve(e.DATA_DIR);

  let secrets: Secrets;
  const retired = parseRetiredKeys(e.VOUCHER_RETIRED_PUBLIC_KEYS);
  if (mode === 'production') {
    const missing = SECRET_VARIABLES.filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration: production mode (DATABASE_URL is set) needs real secrets.\n  - ${missing
          .map((name) => `${name} (or ${name}_FILE) is missing`)
          .join('\n  - ')}`,
        [...missing],
      );
    }
    secrets = toSecrets(
      {
        jwtPrivateKeyPem: e.JWT_PRIVATE_KEY!,
        jwtPublicKeyPem: e.JWT_PUBLIC_KEY!,
        voucherSigningKeyPem: e.VOUCHER_SIGNING_KEY!,
        voucherSigningKid: e.VOUCHER_SIGNING_KID ?? 'K1',
        voucherHashKey: e.VOUCHER_HASH_KEY!,
        voucherEncryptionKey: e.VOUCHER_ENCRYPTION_KEY!,
      },
      retired,
    );
  } else {
    secrets = toSecrets(loadOrCreateEmbeddedSecrets(dataDir), retired);
  }

  const config: Config = {
    mode,
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    databaseReplicaUrl: e.DATABASE_REPLICA_URL,
    redisUrl: e.REDIS_URL,
    serviceRole: e.SERVICE_ROLE,
    logLevel: e.LOG_LEVEL,
    migrateOnStart: e.MIGRATE_ON_START,
    demoSeed: e.DEMO_SEED ?? mode === 'embedded',
    jwt: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    },
    undoWindowHours: e.UNDO_WINDOW_HOURS,
    businessTimezone: e.BUSINESS_TIMEZONE,
    operator: {
      name: e.OPERATOR_NAME,
      siren: e.OPERATOR_SIREN,
      iban: e.OPERATOR_IBAN.replace(/\s+/g, ''),
      bic: e.OPERATOR_BIC,
      address: {
        street: e.OPERATOR_STREET,
        buildingNumber: e.OPERATOR_BUILDING_NUMBER,
        postcode: e.OPERATOR_POSTCODE,
        town: e.OPERATOR_TOWN,
        country: e.OPERATOR_COUNTRY,
      },
    },
    secrets,
  };
  return deepFreeze(config);
}

/** Names of every variable the config understands (the compose-file test checks against it). */
export function knownEnvironmentVariables(): string[] {
  const base = Object.keys(environmentSchema.shape);
  return [...base, ...FILE_VARIABLES.map((name) => `${name}_FILE`)];
}

/** A complete config for tests: fresh secrets, overrides merged on top. */
export function buildTestConfig(overrides: Partial<Config> = {}): Config {
  const stored = generateSecrets();
  const base: Config = {
    mode: 'production',
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://localhost:3000',
    dataDir: path.resolve('.data/test'),
    databaseUrl: undefined,
    databasePoolMax: 10,
    databaseReplicaUrl: undefined,
    redisUrl: undefined,
    serviceRole: 'all',
    logLevel: 'silent',
    migrateOnStart: false,
    demoSeed: false,
    jwt: {
      issuer: 'pass-test',
      audience: 'pass-test-api',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
    },
    undoWindowHours: 24,
    businessTimezone: 'Europe/Paris',
    operator: {
      name: 'Opérateur de test',
      siren: '123456782',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPPXXX',
      address: {
        street: 'Rue de la Paix',
        buildingNumber: '1',
        postcode: '75002',
        town: 'Paris',
        country: 'FR',
      },
    },
    secrets: toSecrets(stored, []),
  };
  return { ...base, ...overrides };
}
