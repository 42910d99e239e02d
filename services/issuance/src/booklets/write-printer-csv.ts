import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/** One printed pass as the print shop's variable-data software needs it. */
export type PrinterCsvRow = {
  serial: string;
  booklet: number;
  /** The code a person types, as printed under the QR code. */
  code: string;
  /** The exact text of the QR code. */
  payload: string;
};

/** Header names, in French for the print shop; the column order is the contract. */
export const PRINTER_CSV_COLUMNS = [
  { key: 'serial', header: 'numero_serie' },
  { key: 'booklet', header: 'carnet' },
  { key: 'code', header: 'code' },
  { key: 'payload', header: 'contenu_qr' },
] as const;

/**
 * Streams the printer CSV of a batch to `out` and ends it: one line per pass, ";"-separated, CRLF, UTF-8
 * with a byte-order mark. French Excel splits columns on ";" and reads UTF-8 only with the BOM; the print
 * shop's software reads either. `bom: false` leaves the BOM out for tools that choke on it.
 */
export async function writePrinterCsv(
  rows: AsyncIterable<PrinterCsvRow> | Iterable<PrinterCsvRow>,
  out: NodeJS.WritableStream,
  options: { bom?: boolean } = {},
): Promise<void> {
  const csv = stringify({
    delimiter: ';',
    record_delimiter: 'windows',
    bom: options.bom ?? true,
    header: true,
    columns: PRINTER_CSV_COLUMNS.map(({ key, header }) => ({ key, header })),
  });
  await pipeline(Readable.from(rows, { objectMode: true }), csv, out);
}
