import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliCommand } from '@pass/http';
import { type OpenDataFormat, VenueOpenDataFormatError } from '../venues-open-data';
import { formatImportReport } from './venue-import-report';
import { VenueImportService } from './venue-import-service';

const USAGE = 'venues:import <file> [--dry-run] [--json] [--source <name>] [--format csv|json]';

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** `npm run cli -- venues:import <file> [--dry-run] [--json]`: the same import and report as the API. */
export const venueImportCommand: CliCommand = {
  name: 'venues:import',
  usage: USAGE,
  summary:
    'Import venues from an open-data file (national standard v0.1 or v1.x, CSV or JSON); prints the report',
  run: async (ctx, args) => {
    const valueOptions = new Set(['--source', '--format']);
    const positional = args.filter((arg, i) => !arg.startsWith('--') && !valueOptions.has(args[i - 1] ?? ''));
    const file = positional[0];
    const formatOption = optionValue(args, '--format');
    if (
      !file ||
      positional.length > 1 ||
      (formatOption && formatOption !== 'csv' && formatOption !== 'json')
    ) {
      return { exitCode: 2, output: `Usage: npm run cli -- ${USAGE}` };
    }
    const format: OpenDataFormat =
      (formatOption as OpenDataFormat | undefined) ??
      (path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (err) {
      return { exitCode: 1, output: `Cannot read ${file}: ${(err as Error).message}` };
    }
    const service = new VenueImportService(ctx.knex);
    try {
      const report = await service.run(
        { kind: 'system', subjectId: 'cli' },
        { content, format, source: optionValue(args, '--source'), dryRun: args.includes('--dry-run') },
        ctx.clock(),
      );
      return {
        exitCode: 0,
        output: args.includes('--json') ? JSON.stringify(report, null, 2) : formatImportReport(report),
      };
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof VenueOpenDataFormatError)
        return { exitCode: 1, output: `${cause.code}: ${cause.message}` };
      throw err;
    }
  },
};
