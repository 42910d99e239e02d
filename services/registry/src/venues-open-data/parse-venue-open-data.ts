import { parse as parseCsv } from 'csv-parse/sync';
import {
  type Issue,
  type OpenDataFormat,
  type SchemaVersion,
  type VenueOpenDataParseResult,
  VenueOpenDataFormatError,
} from './normalized-venue';
import {
  canonicalColumn,
  REQUIRED_COLUMNS,
  V01_COLUMNS,
  V01_ONLY_COLUMNS,
  V1_COLUMNS,
  V1_ONLY_COLUMNS,
} from './open-data-columns';
import { type RawRecord, readVenueRow } from './read-venue-row';

type Table = { columns: string[]; records: RawRecord[] };

/**
 * Reads a venue file in the national open-data standard for digital-mediation venues (schema v0.1 or v1.x,
 * detected), and returns one report per data row: the normalised venue or the reasons for rejecting it,
 * plus warnings for everything repaired, guessed or left out. Throws VenueOpenDataFormatError only when
 * the content is not a table at all.
 */
export function parseVenueOpenData(content: string, format: OpenDataFormat): VenueOpenDataParseResult {
  const table = format === 'csv' ? readCsv(content) : readJson(content);
  const { version, guessed } = detectSchemaVersion(table);
  const warnings = columnWarnings(table.columns, version);
  if (guessed) {
    warnings.push({
      code: 'schema_version_guessed',
      message: `No column specific to one schema version; read as v${version} from the multi-value separators`,
    });
  }
  const seenSourceIds = new Map<string, number>();
  const rows = table.records.map((record, index) => readVenueRow(record, index + 1, version, seenSourceIds));
  return { schemaVersion: version, rows, warnings };
}

// ---------------------------------------------------------------------------------------------------------
// Reading the table

function sniffDelimiter(content: string): string {
  const firstLine = content.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((delimiter) => ({
    delimiter,
    count: outsideQuotes.split(delimiter).length,
  }));
  counts.sort((a, b) => b.count - a.count);
  return counts[0]!.count > 1 ? counts[0]!.delimiter : ',';
}

function readCsv(content: string): Table {
  if (content.trim() === '') throw new VenueOpenDataFormatError('empty_file', 'The file is empty');
  let parsed: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    parsed = parseCsv(content, {
      bom: true,
      delimiter: sniffDelimiter(content),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new VenueOpenDataFormatError('invalid_csv', `The CSV cannot be read: ${message}`, { cause: error });
  }
  const [header, ...body] = parsed;
  if (!header) throw new VenueOpenDataFormatError('empty_file', 'The file is empty');
  const columns = header.record.map(canonicalColumn);
  const lineAt = lineCounter(content);
  let recordStart = header.info.bytes;
  const records = body.map(({ record, info }): RawRecord => {
    const values: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      if (column !== '' && values[column] === undefined) values[column] = record[index];
    });
    const raw: RawRecord = { values, line: lineAt(recordStart) };
    recordStart = info.bytes;
    if (record.length !== columns.length) raw.columnCount = { expected: columns.length, got: record.length };
    return raw;
  });
  return { columns, records };
}

/**
 * Maps increasing byte offsets (csv-parse's `info.bytes`) to 1-based line numbers, skipping blank lines.
 * csv-parse's own `info.lines` counts a CRLF inside a quoted field as two lines, so we count ourselves.
 */
function lineCounter(content: string): (byteOffset: number) => number {
  const bytes = Buffer.from(content, 'utf8');
  const LF = 0x0a;
  const CR = 0x0d;
  let position = 0;
  let line = 1;
  const step = () => {
    if (bytes[position] === CR && bytes[position + 1] === LF) position++;
    if (bytes[position] === CR || bytes[position] === LF) line++;
    position++;
  };
  return (byteOffset) => {
    while (position < byteOffset && position < bytes.length) step();
    while (position < bytes.length && (bytes[position] === CR || bytes[position] === LF)) step();
    return line;
  };
}

function readJson(content: string): Table {
  if (content.trim() === '') throw new VenueOpenDataFormatError('empty_file', 'The file is empty');
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\ufeff/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new VenueOpenDataFormatError('invalid_json', `The JSON cannot be read: ${message}`, {
      cause: error,
    });
  }
  if (!Array.isArray(data)) {
    throw new VenueOpenDataFormatError('json_not_an_array', 'The JSON must be an array of venue objects');
  }
  const columns = new Set<string>();
  const records = data.map((item): RawRecord => {
    const values: Record<string, unknown> = {};
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      for (const [key, value] of Object.entries(item)) {
        const column = canonicalColumn(key);
        columns.add(column);
        values[column] = value;
      }
    }
    return { values };
  });
  return { columns: [...columns], records };
}

function detectSchemaVersion(table: Table): { version: SchemaVersion; guessed: boolean } {
  const columns = new Set(table.columns);
  if (V1_ONLY_COLUMNS.some((column) => columns.has(column))) return { version: '1.x', guessed: false };
  if (V01_ONLY_COLUMNS.some((column) => columns.has(column))) return { version: '0.1', guessed: false };
  // Only shared columns: v1.x separates multiple values with '|', v0.1 with ';'.
  let pipes = 0;
  let semicolons = 0;
  for (const record of table.records) {
    for (const column of ['services', 'typologie', 'modalites_accompagnement']) {
      const value = record.values[column];
      if (typeof value !== 'string') continue;
      if (value.includes('|')) pipes++;
      else if (value.includes(';')) semicolons++;
    }
  }
  return {
    version: pipes > semicolons ? '1.x' : pipes === 0 && semicolons === 0 ? '1.x' : '0.1',
    guessed: true,
  };
}

function columnWarnings(columns: string[], version: SchemaVersion): Issue[] {
  const known = new Set<string>([...V01_COLUMNS, ...V1_COLUMNS]);
  const warnings: Issue[] = [];
  const unknown = columns.filter((column) => column !== '' && !known.has(column));
  if (unknown.length > 0) {
    warnings.push({
      code: 'unknown_columns',
      message: `Columns not in the standard, ignored: ${unknown.join(', ')}`,
    });
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    warnings.push({
      code: 'missing_columns',
      message: `Columns the v${version} standard requires are absent: ${missing.join(', ')}`,
    });
  }
  return warnings;
}
