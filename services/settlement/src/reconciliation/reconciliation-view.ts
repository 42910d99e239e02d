import { decimalString } from '../shared/money-format';
import type { ReconciliationReport } from './reconcile';

/**
 * The report as JSON: every `somethingCents` bigint becomes `something`, a decimal string of euros
 * ("12.34"), as everywhere in the API (JSON never carries a bigint or a float).
 */
export function reconciliationJson(report: ReconciliationReport): unknown {
  return toJsonValue(report);
}

function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'bigint' && key.endsWith('Cents')) out[key.slice(0, -5)] = decimalString(item);
      else out[key] = toJsonValue(item);
    }
    return out;
  }
  return value;
}

/** A short text of the report for the CLI: one line per gap, or that all is balanced. */
export function reconciliationText(report: ReconciliationReport): string {
  const period = `${report.period.from ?? 'début'} → ${report.period.to ?? 'maintenant'}`;
  const lines = [
    `Rapprochement ${period}: ${report.associations.length} association(s), ${report.funders.length} financeur(s).`,
  ];
  if (report.ok) {
    lines.push('OK: aucun écart.');
    return lines.join('\n');
  }
  for (const alert of report.alerts) {
    lines.push(
      `ÉCART ${alert.scope} ${alert.name} (${alert.id}): ${decimalString(alert.gapCents)} EUR, ${alert.rows.length} ligne(s)`,
    );
    for (const row of alert.rows.slice(0, 20)) {
      lines.push(
        `  ${JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? decimalString(value) : value))}`,
      );
    }
  }
  return lines.join('\n');
}
