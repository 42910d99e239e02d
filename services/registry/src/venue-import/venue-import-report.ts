import type { OpenDataFormat, SchemaVersion } from '../venues-open-data';
import type { VenueWarning } from '../venues/venue';
import type { ImportOutcome, ImportRowReport } from './venue-import-plan';

/** The answer of an import, dry run or applied: one line per row and totals. */
export interface VenueImportReport {
  dryRun: boolean;
  format: OpenDataFormat;
  schemaVersion: SchemaVersion;
  /** The source forced by the request, or null when each row's `source` column was used. */
  source: string | null;
  fileWarnings: VenueWarning[];
  summary: {
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    /** Rows kept that accept the Pass numérique (imported as `applied`). */
    acceptingPass: number;
    /** How many rows carry each warning code. */
    warnings: Record<string, number>;
  };
  rows: ImportRowReport[];
}

/** Totals of a list of row reports. */
export function summarize(rows: readonly ImportRowReport[]): VenueImportReport['summary'] {
  const count = (outcome: ImportOutcome) => rows.filter((row) => row.outcome === outcome).length;
  const warnings: Record<string, number> = {};
  for (const row of rows) {
    for (const code of new Set(row.warnings.map((warning) => warning.code)))
      warnings[code] = (warnings[code] ?? 0) + 1;
  }
  return {
    rows: rows.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    acceptingPass: rows.filter((row) => row.outcome !== 'rejected' && row.acceptsPass).length,
    warnings,
  };
}

const OUTCOME_FR: Record<ImportOutcome, string> = {
  created: 'créé',
  updated: 'mis à jour',
  unchanged: 'inchangé',
  rejected: 'rejeté',
};

/** The report as text for a terminal: totals, warning counts, then one line per row with its issues. */
export function formatImportReport(report: VenueImportReport): string {
  const { summary } = report;
  const lines = [
    `Import des lieux ${report.dryRun ? '(simulation, rien n’est enregistré)' : '(enregistré)'} — schéma v${report.schemaVersion}, ${report.format.toUpperCase()}`,
    `${summary.rows} lignes : ${summary.created} créées, ${summary.updated} mises à jour, ${summary.unchanged} inchangées, ${summary.rejected} rejetées ; ${summary.acceptingPass} acceptent le Pass numérique.`,
  ];
  for (const warning of report.fileWarnings) lines.push(`Fichier : ${warning.code} — ${warning.message}`);
  const codes = Object.entries(summary.warnings).sort((a, b) => b[1] - a[1]);
  if (codes.length > 0)
    lines.push(`Avertissements : ${codes.map(([code, n]) => `${code} ×${n}`).join(', ')}`);
  lines.push('');
  for (const row of report.rows) {
    const where = row.line ? `ligne ${row.line}` : `enregistrement ${row.rowNumber}`;
    const head = `${where} [${row.sourceId ?? 'sans id'}] ${row.name ?? ''} : ${OUTCOME_FR[row.outcome]}`;
    const status = row.status ? ` (${row.status})` : '';
    const changes = row.changedFields.length > 0 ? ` — champs : ${row.changedFields.join(', ')}` : '';
    lines.push(`${head}${status}${changes}`);
    for (const error of row.errors) lines.push(`    ✗ ${error.code} : ${error.message}`);
    for (const warning of row.warnings) lines.push(`    ! ${warning.code} : ${warning.message}`);
  }
  return lines.join('\n');
}
