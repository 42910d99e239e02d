import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that must never reach a log line: credentials, tokens, voucher codes (bearer secrets), QR payloads and
 * bank details.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'deviceToken',
  '*.deviceToken',
  'code',
  'codes',
  '*.code',
  '*.codes',
  'payload',
  '*.payload',
  'iban',
  '*.iban',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-device-token"]',
  'res.headers["set-cookie"]',
];

/** Creates the root logger; `level: 'silent'` for tests. Writes to stdout unless given a destination. */
export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.name ?? 'pass-numerique' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** One child logger per module, named like `redemption` or `settlement.payouts`. */
export function moduleLogger(parent: Logger, module: string): Logger {
  return parent.child({ module });
}

/** Masks all but the last 4 characters of a secret-looking value for messages meant for people. */
export function mask(value: string): string {
  if (value.length <= 4) return '****';
  return `${'*'.repeat(Math.min(8, value.length - 4))}${value.slice(-4)}`;
}
