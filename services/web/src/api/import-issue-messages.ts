import type { ImportIssue } from './directory-api';

// The venue import report's issues in French. The server's `message` is English detail for logs and the CLI;
// people read these, keyed on the stable `code` (services/registry/src/venues-open-data/README.md, « Issue
// codes »). A code missing here shows its field and code rather than English text.
const IMPORT_ISSUES: Readonly<Record<string, string>> = {
  missing_name: 'Pas de nom (nom) : un lieu doit être nommé. Ligne rejetée.',
  missing_location: 'Ni coordonnées ni adresse complète : impossible de situer le lieu. Ligne rejetée.',
  missing_source_id: 'Pas d’identifiant (id) : un nouvel import créera un doublon au lieu de mettre à jour.',
  source_id_derived:
    'Pas d’identifiant (id) : le lieu est reconnu par son nom et son adresse ; s’ils changent, un nouvel import le dupliquera.',
  duplicate_source_id: 'Même identifiant qu’une ligne précédente.',
  column_count_mismatch: 'La ligne n’a pas le même nombre de colonnes que l’en-tête.',
  missing_siret: 'Pas de SIRET (pivot) : à saisir plus tard.',
  siret_all_zeros: 'SIRET (pivot) rempli de zéros : ignoré.',
  invalid_siret: 'SIRET (pivot) invalide : ignoré.',
  pivot_is_siren: 'Le pivot est un SIREN (9 chiffres), pas un SIRET.',
  unrecognised_pivot: 'Identifiant pivot non reconnu : ignoré.',
  postcode_zero_restored: 'Code postal à 4 chiffres : le zéro initial a été rétabli.',
  invalid_postcode: 'Code postal qui n’a pas 5 chiffres : gardé tel quel.',
  missing_insee_code: 'Pas de code INSEE : le territoire sera vérifié sur le code postal.',
  insee_code_zero_restored: 'Code INSEE à 4 chiffres : le zéro initial a été rétabli.',
  invalid_insee_code: 'Code INSEE invalide : ignoré.',
  insee_code_resolved: 'Code INSEE déduit de la commune et du code postal.',
  insee_code_kept: 'Pas de code INSEE dans le fichier : celui déjà enregistré est conservé.',
  invalid_coordinates: 'Coordonnées invalides : ignorées.',
  phone_reformatted: 'Téléphone remis au format international.',
  phone_repaired: 'Téléphone corrigé.',
  invalid_phone: 'Téléphone invalide : ignoré.',
  extra_phone_numbers: 'Plusieurs téléphones : seul le premier est gardé.',
  invalid_email: 'Adresse électronique douteuse : gardée telle quelle.',
  opening_hours_corrected: 'Horaires corrigés pour être lisibles.',
  opening_hours_doubtful: 'Horaires lisibles mais douteux (par exemple un jour sans plage horaire).',
  opening_hours_unparseable: 'Horaires illisibles : gardés en texte.',
  missing_services: 'Aucun service indiqué.',
  unknown_service: 'Service inconnu du standard : ignoré.',
  unknown_value: 'Valeur hors du vocabulaire du standard : ignorée.',
  invalid_date: 'Date de mise à jour illisible : ignorée.',
  placeholder_date: 'Date de mise à jour fictive (1970-01-01) : ignorée.',
  pass_numerique_inferred: 'Acceptation du Pass numérique déduite du label APTIC.',
  // file-level warnings
  unknown_columns: 'Colonnes hors du standard, ignorées.',
  missing_columns: 'Colonnes exigées par le standard absentes.',
  schema_version_guessed: 'Version du schéma devinée d’après les colonnes.',
};

/** One issue of the import report, in French. */
export function importIssueMessage(issue: ImportIssue): string {
  const message = IMPORT_ISSUES[issue.code];
  // These two name the columns after the colon (names from the file, not English words).
  if (message && (issue.code === 'unknown_columns' || issue.code === 'missing_columns')) {
    const columns = issue.message.split(': ').slice(1).join(': ');
    return columns ? `${message.replace(/\.$/, '')} : ${columns}.` : message;
  }
  if (message) return message;
  return issue.field ? `Champ « ${issue.field} » : ${issue.code}` : issue.code;
}
