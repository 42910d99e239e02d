import type { FieldIssue, Problem } from './problem';

// The one place where API error codes become words for people. Clients branch on `code`, never on the
// server's English `detail`; a code missing here falls back to a message by HTTP status.
const MESSAGES: Readonly<Record<string, string>> = {
  // network and platform
  network_error: 'Le serveur ne répond pas. Vérifiez la connexion puis réessayez.',
  route_not_found: 'Cette fonction sera bientôt disponible.',
  internal: 'Une erreur inattendue est survenue. Réessayez dans un instant.',
  unavailable: 'Le service est momentanément indisponible. Réessayez dans un instant.',
  timeout: 'L’opération a pris trop de temps. Réessayez.',
  retry: 'Une autre modification a eu lieu en même temps. Réessayez.',
  rate_limited: 'Trop de tentatives. Patientez une minute avant de réessayer.',
  validation_failed: 'Certains champs ne sont pas valides.',
  malformed_json: 'La demande envoyée est illisible.',
  payload_too_large: 'Le fichier est trop volumineux.',
  duplicate: 'Cet élément existe déjà.',
  constraint_violation: 'Cette modification enfreint une règle de gestion.',
  reference_conflict: 'Un élément lié est introuvable ou encore utilisé.',
  not_found: 'Élément introuvable.',
  forbidden: 'Votre rôle ne permet pas cette action.',
  forbidden_role: 'Votre rôle ne permet pas cette action.',
  other_organisation: 'Cet élément appartient à une autre structure.',
  idempotency_key_missing: 'La demande est incomplète (clé d’idempotence manquante).',
  idempotency_in_flight: 'La même demande est déjà en cours de traitement. Patientez un instant.',
  invalid_cursor: 'La pagination a expiré : rechargez la liste.',
  // sign-in
  unauthorized: 'Votre session a expiré. Reconnectez-vous.',
  invalid_token: 'Votre session a expiré. Reconnectez-vous.',
  token_expired: 'Votre session a expiré. Reconnectez-vous.',
  invalid_refresh_token: 'Votre session a expiré. Reconnectez-vous.',
  refresh_token_expired: 'Votre session a expiré. Reconnectez-vous.',
  invalid_credentials: 'Adresse électronique ou mot de passe incorrect.',
  account_locked: 'Compte verrouillé après trop d’essais. Réessayez plus tard ou contactez l’opérateur.',
  login_rate_limited: 'Trop de tentatives de connexion. Patientez une minute.',
  // passes and redemption
  already_redeemed: 'Ce pass a déjà été utilisé.',
  unknown_code: 'Code inconnu : vérifiez la saisie ou scannez le QR code.',
  service_not_allowed: 'Ce service n’est pas couvert par ce pass.',
  wrong_count: 'Le nombre de pass ne correspond pas au prix du service.',
  duplicate_pass: 'Ce pass figure deux fois dans le panier.',
  undo_not_allowed: 'Seul le lieu qui a validé (ou l’opérateur) peut annuler.',
  service_inactive: 'Ce service n’est plus proposé par le lieu.',
  catalogue_service_not_found: 'Ce service n’est pas au catalogue du lieu.',
  no_venue: 'Ce compte n’est rattaché à aucun lieu.',
  invalid_range: 'La période demandée n’est pas valide.',
  pass_check_rate_limited: 'Trop de vérifications. Patientez une minute.',
  voucher_count_out_of_range: 'Une commande compte de 1 à 2 000 000 pass.',
  invalid_validity_period: 'La fin de validité est avant son début.',
  validity_already_over: 'La période de validité est déjà terminée.',
  unknown_territory_codes: 'Certains codes de territoire sont inconnus.',
  unknown_service_categories: 'Certaines catégories de service sont inconnues.',
  batch_not_awaiting_funding: 'Cette commande n’attend pas de financement.',
  batch_already_funded: 'Le financement de cette commande est déjà enregistré.',
  batch_not_funded: 'La commande doit d’abord être financée.',
  generation_incomplete: 'Les pass sont encore en cours de génération : réessayez dans un instant.',
  batch_already_closed: 'Cette commande est déjà close.',
  batch_funded_not_active:
    'Une commande financée ne peut pas être abandonnée : activez-la puis annulez ses pass.',
  batch_has_usable_vouchers: 'Des pass de cette commande sont encore utilisables.',
  typo: 'Ce code contient une faute de frappe (le caractère de contrôle ne correspond pas).',
  invalid_signature: 'Ce QR code n’est pas authentique.',
  unknown_key: 'Ce QR code a été signé par une clé inconnue : saisissez le code à la main.',
  unsupported_version: 'Ce QR code n’est pas d’un format reconnu.',
  expired: 'Ce pass est expiré.',
  not_yet_valid: 'Ce pass n’est pas encore valable.',
  cancelled: 'Ce pass a été annulé (carnet perdu, volé ou révoqué).',
  not_active: 'Ce pass n’est pas encore activé.',
  outside_territory: 'Ce pass n’est pas valable sur le territoire de ce lieu.',
  category_not_allowed: 'Ce pass ne finance pas ce type de service.',
  venue_not_accredited: 'Ce lieu n’est pas (ou plus) habilité à accepter le Pass numérique.',
  venue_not_allowed: 'Ce lieu n’est pas habilité à accepter le Pass numérique.',
  venue_revoked: 'L’habilitation de ce lieu a été retirée.',
  venue_required: 'Ce compte n’est rattaché à aucun lieu.',
  catalogue_item_not_found: 'Ce service n’existe plus au catalogue du lieu.',
  undo_window_expired: 'Le délai d’annulation est dépassé.',
  already_undone: 'Cette validation a déjà été annulée.',
  already_settled: 'Cette validation a déjà été remboursée : elle ne peut plus être annulée.',
  redemption_not_found: 'Validation introuvable.',
  // issuance and distribution
  batch_not_found: 'Commande introuvable.',
  batch_not_draft: 'La commande n’est plus modifiable.',
  funding_amount_mismatch: 'Le montant reçu ne correspond pas au devis.',
  // registry
  invalid_iban: 'Cet IBAN n’est pas valide.',
  invalid_bic: 'Ce BIC n’est pas valide.',
  iban_not_sepa: 'Ce compte n’est pas dans la zone SEPA.',
  iban_empty: 'Saisissez l’IBAN.',
  iban_invalid_characters: 'Un IBAN ne contient que des lettres et des chiffres (espaces permis).',
  iban_unknown_country: 'L’IBAN doit commencer par le code d’un pays (FR pour la France).',
  iban_wrong_length: 'L’IBAN n’a pas le bon nombre de caractères pour ce pays (27 pour la France).',
  iban_wrong_format: 'L’IBAN n’a pas le format attendu pour ce pays.',
  iban_bad_checksum: 'La clé de contrôle de l’IBAN ne correspond pas : vérifiez chaque caractère.',
  iban_bad_national_checksum:
    'La clé RIB contenue dans l’IBAN ne correspond pas : vérifiez chaque caractère.',
  bic_empty: 'Saisissez le BIC.',
  bic_unknown_country: 'Les 5e et 6e caractères du BIC ne sont pas un code pays connu.',
  bic_wrong_format: 'Un BIC compte 8 ou 11 lettres et chiffres, par exemple AGRIFRPP.',
  account_holder_name_length: 'Le nom du titulaire compte de 1 à 70 caractères.',
  bank_account_unchanged: 'Ces coordonnées bancaires sont déjà enregistrées.',
  bank_change_pending: 'Une demande de changement est déjà en attente.',
  bank_change_not_pending: 'Cette demande a déjà été traitée.',
  invalid_accreditation_transition: 'Ce changement d’habilitation n’est pas possible depuis l’état actuel.',
  venue_not_found: 'Lieu introuvable.',
  association_not_found: 'Association introuvable.',
  funder_not_found: 'Financeur introuvable.',
  distributor_not_found: 'Distributeur introuvable.',
  empty_file: 'Le fichier est vide.',
  invalid_csv: 'Le fichier CSV est illisible.',
  // settlement
  invalid_xml: 'Le fichier XML est illisible.',
  unsupported_message: 'Ce fichier n’est pas un relevé camt.054 reconnu.',
  duplicate_end_to_end_id: 'Ce relevé contient deux fois la même référence de virement.',
  no_payments: 'Aucun virement à traiter.',
  // issuance, distribution and revocation (added)
  batch_not_cancellable: 'Cette commande n’a aucun pass à annuler.',
  batch_not_submitted: 'La commande doit d’abord être confirmée.',
  proof_not_ready: 'L’épreuve n’est pas encore prête : les premiers pass sont en cours de génération.',
  booklets_not_ready: 'Le PDF des carnets n’est pas encore produit.',
  generation_not_started: 'La génération des pass n’a pas commencé : confirmez d’abord la commande.',
  booklet_range_invalid: 'Ces numéros de carnet n’existent pas dans cette commande.',
  serial_out_of_range: 'Ce numéro de série n’existe pas dans cette commande.',
  booklets_already_held: 'Certains de ces carnets sont déjà chez un distributeur.',
  booklets_not_held: 'Certains de ces carnets ne sont pas dans ce stock.',
  booklets_handed_out:
    'Certains de ces carnets ont déjà été remis à des bénéficiaires : ils ne sont plus dans aucun stock.',
  same_distributor: 'Ces carnets sont déjà chez ce distributeur.',
  distributor_not_of_funder: 'Ce distributeur ne travaille pas pour le financeur de cette commande.',
  distribution_closed: 'La distribution de cette commande est close : sa fin de validité est trop proche.',
  nothing_to_hand_out: 'Tous les pass choisis sont déjà remis ou inutilisables.',
  nothing_to_cancel: 'Aucun pass de cette sélection n’est encore utilisable.',
  invalid_voucher_code: 'Ce code de pass n’est pas valide.',
  invalid_face_value: 'La valeur d’un pass doit être positive.',
  // registry (added)
  four_eyes_required: 'Une autre personne que l’auteur de la demande doit l’approuver (quatre yeux).',
  approver_not_operator: 'Seul un opérateur peut approuver ce changement.',
  bank_change_request_not_found: 'Demande de changement introuvable.',
  reason_required: 'Indiquez un motif.',
  too_many_failed_logins: 'Trop d’essais de connexion. Réessayez plus tard.',
  email_taken: 'Cette adresse électronique est déjà utilisée.',
  commune_not_found: 'Commune introuvable.',
  insee_code_required: 'Le code INSEE de la commune est nécessaire.',
  // redemption and settlement (added)
  fraud_flag_not_found: 'Alerte introuvable.',
  fraud_flag_already_resolved: 'Cette alerte a déjà été traitée.',
  run_not_found: 'Règlement introuvable.',
  statement_not_found: 'Relevé introuvable.',
  payout_not_found: 'Virement introuvable.',
  payout_file_not_found: 'Fichier de virements introuvable.',
  not_exported: 'Ce virement n’a pas encore été envoyé à la banque.',
  already_rejected: 'Ce virement est déjà marqué comme rejeté.',
  invalid_reason_code: 'Le motif de rejet doit être un code ISO de 4 caractères (par exemple AC01).',
  invalid_bank_file: 'Le fichier bancaire est illisible.',
  invalid_date_range: 'La période demandée n’est pas valide.',
  credit_note_not_found: 'Avoir introuvable.',
};

const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'La demande n’est pas valide.',
  401: 'Votre session a expiré. Reconnectez-vous.',
  403: 'Votre rôle ne permet pas cette action.',
  404: 'Élément introuvable.',
  409: 'Cette action entre en conflit avec l’état actuel. Rechargez la page.',
  413: 'Le fichier est trop volumineux.',
  422: 'Cette demande ne peut pas être traitée.',
  429: 'Trop de tentatives. Patientez avant de réessayer.',
};

// Codes whose problem carries a `message` the server wrote in French for the person at the counter (the
// redemption refusals, with facts such as when and where a pass was already used): shown as is.
const SERVER_WORDED = new Set([
  'unknown_code',
  'typo',
  'invalid_signature',
  'not_active',
  'cancelled',
  'expired',
  'not_yet_valid',
  'already_redeemed',
  'outside_territory',
  'service_not_allowed',
  'venue_not_accredited',
  'wrong_count',
  'duplicate_pass',
  'undo_not_allowed',
  'already_undone',
  'undo_window_expired',
  'already_settled',
]);

/** The plain-French message for a problem: by its code, else by its HTTP status. */
export function messageForProblem(problem: Pick<Problem, 'status' | 'code'> & { message?: unknown }): string {
  if (SERVER_WORDED.has(problem.code) && typeof problem.message === 'string' && problem.message) {
    return problem.message;
  }
  return (
    MESSAGES[problem.code] ??
    BY_STATUS[problem.status] ??
    (problem.status >= 500 ? MESSAGES.internal! : 'La demande a échoué.')
  );
}

/** Whether a code has its own French message (tests and the scanner's refusal screen use it). */
export function hasMessageFor(code: string): boolean {
  return code in MESSAGES;
}

/** Field issues by field path, for showing next to each input. */
export function fieldErrorsOf(problem: Pick<Problem, 'errors'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of (problem.errors ?? []) as FieldIssue[]) {
    const key = issue.path.replace(/^body\./, '');
    out[key] ??= fieldMessage(issue);
  }
  return out;
}

function fieldMessage(issue: FieldIssue): string {
  switch (issue.code) {
    case 'too_small':
      return 'Valeur trop petite ou champ vide.';
    case 'too_big':
      return 'Valeur trop grande ou texte trop long.';
    case 'invalid_format':
    case 'invalid_string':
      return 'Format incorrect.';
    case 'invalid_type':
      return 'Champ obligatoire ou valeur du mauvais type.';
    case 'invalid_value':
    case 'invalid_enum_value':
      return 'Valeur non autorisée.';
    case 'unrecognized_keys':
      return 'Champ inattendu.';
    default:
      return MESSAGES[issue.code] ?? 'Valeur non valide.';
  }
}
