/** Columns of schema v0.1 (LaMednum/standard-mediation-num, Schema_V0.1.json, 2022), in order. */
export const V01_COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'cle_ban',
  'typologie',
  'telephone',
  'courriel',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'structure_parente',
  'date_maj',
  'services',
  'publics_accueillis',
  'conditions_acces',
  'labels_nationaux',
  'labels_autres',
  'modalites_accompagnement',
  'accessibilite',
  'prise_rdv',
] as const;

/** Columns of schema v1.x (schema.json from v0.2.0 / 1.0.x, 2023–2024), in order: what we export. */
export const V1_COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'itinerance',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
] as const;

export type V1Column = (typeof V1_COLUMNS)[number];

/** Columns only v1.x has: their presence decides the version. */
export const V1_ONLY_COLUMNS: readonly string[] = V1_COLUMNS.filter(
  (column) => !(V01_COLUMNS as readonly string[]).includes(column),
);
/** Columns only v0.1 has. */
export const V01_ONLY_COLUMNS: readonly string[] = V01_COLUMNS.filter(
  (column) => !(V1_COLUMNS as readonly string[]).includes(column),
);

/** Columns the standard requires in both versions (a missing one is reported, not fatal). */
export const REQUIRED_COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'adresse',
  'date_maj',
  'services',
];

// Spellings seen in real files, including the standard's own example (`Itinerance`, `modalite_acces`).
const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  modalite_acces: 'modalites_acces',
  dispositifs_programmes_nationaux: 'dispositif_programmes_nationaux',
  typologies: 'typologie',
};

/** Canonical column name: lower case, no accents, underscores, known misspellings fixed. */
export function canonicalColumn(header: string): string {
  const name = header
    .replace(/^\ufeff/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return COLUMN_ALIASES[name] ?? name;
}
