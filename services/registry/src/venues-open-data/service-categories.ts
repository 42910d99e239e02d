import { labelKey } from './label-key';

/**
 * The services of the national standard for digital-mediation venues (LaMednum/standard-mediation-num).
 * Schema v1.x condensed the 15 services of v0.1 into these 9; `v01Labels` lists the v0.1 services each one
 * absorbs. The first three mappings are the ones the ANCT's own transformer (mednum-cli) applies; the
 * others follow the meaning of the labels and are ours.
 */
export const SERVICE_CATEGORIES = [
  {
    slug: 'aide-demarches-administratives',
    label: 'Aide aux démarches administratives',
    v01Labels: [
      'Devenir autonome dans les démarches administratives',
      'Réaliser des démarches administratives avec un accompagnement',
      'Accompagner les démarches de santé',
    ],
  },
  {
    slug: 'maitrise-outils-numeriques',
    label: 'Maîtrise des outils numériques du quotidien',
    v01Labels: [
      'Prendre en main un smartphone ou une tablette',
      'Prendre en main un ordinateur',
      'Utiliser le numérique au quotidien',
    ],
  },
  {
    slug: 'insertion-professionnelle',
    label: 'Insertion professionnelle via le numérique',
    v01Labels: ['Favoriser mon insertion professionnelle', 'Créer et développer mon entreprise'],
  },
  { slug: 'utilisation-securisee', label: 'Utilisation sécurisée du numérique', v01Labels: [] },
  {
    slug: 'parentalite-education',
    label: 'Parentalité et éducation avec le numérique',
    v01Labels: ["Soutenir la parentalité et l'éducation avec le numérique"],
  },
  {
    slug: 'loisirs-creations-numeriques',
    label: 'Loisirs et créations numériques',
    v01Labels: ['Créer avec le numérique'],
  },
  {
    slug: 'comprehension-monde-numerique',
    label: 'Compréhension du monde numérique',
    v01Labels: ['Approfondir ma culture numérique', 'Promouvoir la citoyenneté numérique'],
  },
  {
    slug: 'acces-internet-materiel',
    label: 'Accès internet et matériel informatique',
    v01Labels: ['Accéder à une connexion internet', 'Accéder à du matériel'],
  },
  {
    slug: 'materiel-prix-solidaire',
    label: 'Acquisition de matériel informatique à prix solidaire',
    v01Labels: ['S’équiper en matériel informatique'],
  },
] as const;

export type ServiceSlug = (typeof SERVICE_CATEGORIES)[number]['slug'];
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const SERVICE_SLUGS: readonly ServiceSlug[] = SERVICE_CATEGORIES.map((category) => category.slug);

const BY_SLUG = new Map<string, ServiceCategory>(
  SERVICE_CATEGORIES.map((category) => [category.slug, category]),
);
const BY_LABEL = new Map<string, ServiceSlug>();
for (const category of SERVICE_CATEGORIES) {
  BY_LABEL.set(labelKey(category.label), category.slug);
  BY_LABEL.set(labelKey(category.slug), category.slug);
  for (const legacy of category.v01Labels) BY_LABEL.set(labelKey(legacy), category.slug);
}

/** The category for a v0.1 or v1.x service name (or a slug), ignoring case, accents and apostrophe style. */
export function serviceCategoryOf(name: string): ServiceSlug | undefined {
  return BY_LABEL.get(labelKey(name));
}

/** Tells whether a string is one of our service slugs. */
export function isServiceSlug(value: string): value is ServiceSlug {
  return BY_SLUG.has(value);
}

/** The French label (v1.x service name) of a service slug. */
export function serviceLabel(slug: ServiceSlug): string {
  return BY_SLUG.get(slug)!.label;
}
