import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The official ISO 20022 schemas kept in services/settlement/schemas (see the README there). */
export type SepaSchema = 'pain.001.001.09' | 'camt.054.001.02' | 'camt.054.001.04' | 'camt.052.001.08';

export interface XsdValidationResult {
  valid: boolean;
  /** xmllint's messages, one per line, empty when valid. */
  errors: string[];
}

/** Absolute path of one of the vendored XSD files. */
export function schemaPath(schema: SepaSchema): string {
  return fileURLToPath(new URL(`../../schemas/${schema}.xsd`, import.meta.url));
}

/**
 * Validates an XML string against a vendored XSD with `xmllint` (Debian package libxml2-utils). Throws,
 * rather than reporting "valid", when xmllint is missing: a skipped validation must never pass silently.
 */
export function validateWithXmllint(
  xml: string,
  schema: SepaSchema,
  options: { xmllintPath?: string } = {},
): XsdValidationResult {
  const run = spawnSync(
    options.xmllintPath ?? 'xmllint',
    ['--noout', '--nonet', '--schema', schemaPath(schema), '-'],
    {
      input: xml,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'xmllint is not installed: run `apt-get install -y libxml2-utils` (Debian) to validate SEPA files'
        : `xmllint could not run: ${run.error.message}`,
      { cause: run.error },
    );
  }
  // xmllint prints "- validates" on success and "- fails to validate" plus one line per error otherwise.
  const errors = run.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '- validates' && line !== '- fails to validate');
  return { valid: run.status === 0, errors };
}
