import { labelKey } from './label-key';

/**
 * The closed vocabularies of schema v1.x and how the v0.1 values map onto them. Each map goes from a
 * spelling we accept (v1.x label, v0.1 label, known variant) to the v1.x labels it stands for; an empty
 * list means "known, nothing to keep" (v0.1 "Adultes": v1.x assumes every venue is open to all adults).
 */
export type Vocabulary = {
  /** v1.x labels, in the standard's order. */
  readonly labels: readonly string[];
  readonly lookup: ReadonlyMap<string, readonly string[]>;
};

function vocabulary(labels: readonly string[], aliases: Record<string, readonly string[]> = {}): Vocabulary {
  const lookup = new Map<string, readonly string[]>();
  for (const label of labels) lookup.set(labelKey(label), [label]);
  for (const [alias, targets] of Object.entries(aliases)) lookup.set(labelKey(alias), targets);
  return { labels, lookup };
}

/** `publics_specifiquement_adresses` (v1.x); v0.1 `publics_accueillis` feeds it and SPECIFIC_SUPPORT. */
export const PUBLICS = vocabulary(['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'], {
  'Jeunes (16-26 ans)': ['Jeunes'],
  'Familles/enfants': ['Familles et/ou enfants'],
  'Seniors (+ 65 ans)': ['Seniors'],
  'Uniquement femmes': ['Femmes'],
  Adultes: [],
});

/** `prise_en_charge_specifique` (v1.x). */
export const SPECIFIC_SUPPORT = vocabulary(
  [
    'Surdité',
    'Handicaps moteurs',
    'Handicaps mentaux',
    'Illettrisme',
    'Langues étrangères (anglais)',
    'Langues étrangères (autres)',
    'Déficience visuelle',
  ],
  {
    // v0.1 did not say which languages; the venue welcomes people who do not speak French.
    'Public langues étrangères': ['Langues étrangères (anglais)', 'Langues étrangères (autres)'],
    "Handicaps mentaux : déficiences limitant les activités d'une personne": ['Handicaps mentaux'],
    'Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales': [
      'Handicaps mentaux',
    ],
    "Personnes en situation d'illettrisme": ['Illettrisme'],
    Illetrisme: ['Illettrisme'],
  },
);

/** `frais_a_charge` (v1.x), from v0.1 `conditions_acces`. */
export const FEES = vocabulary(['Gratuit', 'Gratuit sous condition', 'Payant'], {
  // The v1.x definition of "Gratuit sous condition" lists "adhésion, situation familiale, convention avec un
  // organisme social, pass numériques…". The Pass numérique itself is read as a flag, not as a fee.
  Adhésion: ['Gratuit sous condition'],
  'Accepte le Pass numérique': [],
});
export type Fee = 'Gratuit' | 'Gratuit sous condition' | 'Payant';

/** `modalites_accompagnement` (v1.x), renamed from v0.1 (mapping as in the ANCT's mednum-cli configs). */
export const SUPPORT_MODES = vocabulary(
  ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance'],
  {
    Seul: ['En autonomie'],
    "Avec de l'aide": ['Accompagnement individuel'],
    'Dans un atelier': ['Dans un atelier collectif'],
    'A ma place': ['Accompagnement individuel'],
    'À distance (par téléphone ou en visioconférence)': ['À distance'],
  },
);

/** `modalites_acces` (v1.x only). */
export const ACCESS_MODES = vocabulary([
  'Se présenter',
  'Téléphoner',
  'Contacter par mail',
  'Prendre un RDV en ligne',
  "Ce lieu n'accueille pas de public",
  'Envoyer un mail avec une fiche de prescription',
]);

/** `dispositif_programmes_nationaux` (v1.x), carved out of v0.1 `labels_nationaux`. */
export const NATIONAL_PROGRAMS = vocabulary(
  [
    'Aidants Connect',
    'Bibliothèques numérique de référence',
    'Certification PIX',
    'Conseillers numériques',
    'Emmaüs Connect',
    'France Services',
    'Grande école du numérique',
    'La Croix Rouge',
    "Point d'accès numérique CAF",
    'Promeneurs du net',
    'Relais numérique (Emmaüs Connect)',
  ],
  {
    CNFS: ['Conseillers numériques'],
    'Grandes écoles du numérique': ['Grande école du numérique'],
    'Point relais CAF': ["Point d'accès numérique CAF"],
    'Point numérique CAF': ["Point d'accès numérique CAF"],
  },
);

/** `formations_labels` (v1.x), the other half of v0.1 `labels_nationaux`. */
export const TRAINING_LABELS = vocabulary(
  [
    'Formé à « Mon Espace Santé »',
    'Formé à « DUPLEX » (illettrisme)',
    'Arnia/MedNum BFC (Bourgogne-Franche-Comté)',
    'Collectif ressources et acteurs réemploi (Normandie)',
    'Étapes numériques (La Poste)',
    'Fabriques de Territoire',
    'Les Éclaireurs du numérique (Drôme)',
    'Mes Papiers (Métropole de Lyon)',
    'ORDI 3.0',
    'SUD LABS (PACA)',
  ],
  { 'Formé à « DUPLEX » (illetrisme)': ['Formé à « DUPLEX » (illettrisme)'] },
);

/** v0.1 `labels_nationaux` values with no v1.x vocabulary: kept as free-text `autres_formations_labels`. */
export const V01_LABELS_KEPT_AS_OTHER = ['APTIC', 'Relais pôle emploi', 'French Tech', 'Campus connecté'];

/** `itinerance` (v1.x). */
export const ITINERANCE = vocabulary(['Itinérant', 'Fixe']);

export type Resolution = { known: true; labels: readonly string[] } | { known: false };

/**
 * Resolves one value. v0.1 files write "Label : explanation" ("Gratuit : Je peux accéder gratuitement…"), so
 * when the whole text is unknown the part before the first colon is tried.
 */
export function resolve(vocabularyToUse: Vocabulary, value: string): Resolution {
  const whole = vocabularyToUse.lookup.get(labelKey(value));
  if (whole) return { known: true, labels: whole };
  const colon = value.indexOf(':');
  if (colon > 0) {
    const head = vocabularyToUse.lookup.get(labelKey(value.slice(0, colon)));
    if (head) return { known: true, labels: head };
  }
  return { known: false };
}

/**
 * Whether a value says the venue takes the Pass numérique: "Accepte le Pass numérique", "Pass numérique",
 * or APTIC, the name of the voucher's historic operator printed on the passes ("chèques APTIC").
 */
export function mentionsPassNumerique(value: string): boolean {
  const key = labelKey(value.split(':')[0] ?? value);
  return /\bpass numerique\b/.test(key) || /\baptic\b/.test(key);
}
