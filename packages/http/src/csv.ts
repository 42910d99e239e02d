import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV for French spreadsheets: `;` separator, CRLF, UTF-8 with a BOM so Excel shows accents, and formulas
 * neutralised (a cell starting with = + - @ gets a leading apostrophe) against CSV injection.
 */
export function toCsv(header: string[], rows: readonly (readonly (string | null | undefined)[])[]): string {
  const safe = rows.map((row) =>
    row.map((cell) => {
      const value = cell ?? '';
      return /^[=+\-@\t\r]/.test(value) && !/^-?\d+(,\d+)?$/.test(value) ? `'${value}` : value;
    }),
  );
  return `\uFEFF${stringify([header, ...safe], { delimiter: ';', record_delimiter: '\r\n' })}`;
}

/** Sends a CSV download. */
export function sendCsv(res: Response, fileName: string, csv: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.send(csv);
}
