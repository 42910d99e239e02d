import type { Db } from '@pass/db';
import { rowsOf } from './db-values';

/** The numbered documents of settlement and their prefixes. */
export type NumberSeries = 'statement' | 'credit_note' | 'payout_file';

const PREFIX: Record<NumberSeries, string> = { statement: 'RLV', credit_note: 'AV', payout_file: 'VIR' };

/** RLV-2026-000042: prefix, year, sequence on six digits (more digits when a year exceeds a million). */
export function formatDocumentNumber(series: NumberSeries, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`bad sequence ${sequence}`);
  return `${PREFIX[series]}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Reads RLV-2026-000042 back into its parts, or undefined. */
export function parseDocumentNumber(
  number: string,
): { series: NumberSeries; year: number; sequence: number } | undefined {
  const match = /^([A-Z]+)-(\d{4})-(\d{6,})$/.exec(number);
  if (!match) return undefined;
  const series = (Object.keys(PREFIX) as NumberSeries[]).find((key) => PREFIX[key] === match[1]);
  if (!series) return undefined;
  return { series, year: Number(match[2]), sequence: Number(match[3]) };
}

/**
 * Takes the next number of a series for a year, inside the caller's transaction. The upsert increments the
 * counter row and keeps it locked until commit: a concurrent issuer waits, and a rollback gives the number
 * back, so numbers are gapless per year. Keep the transaction short after calling it.
 */
export async function nextDocumentNumber(
  trx: Db,
  series: NumberSeries,
  year: number,
): Promise<{ number: string; year: number; sequence: number }> {
  const [row] = rowsOf<{ last_value: number | string }>(
    await trx.raw(
      `insert into settlement.number_counters (series, year, last_value) values (?, ?, 1)
       on conflict (series, year) do update set last_value = settlement.number_counters.last_value + 1
       returning last_value`,
      [series, year],
    ),
  );
  const sequence = Number(row!.last_value);
  return { number: formatDocumentNumber(series, year, sequence), year, sequence };
}
