/**
 * Service categories of the national standard for digital-mediation venues (schema v1.x), the vocabulary of
 * registry.catalogue_services.category. A copy of the slugs in services/registry/src/venues-open-data/
 * service-categories.ts: services do not import each other; service-categories.test.ts fails if the two
 * lists ever differ.
 */
export const SERVICE_CATEGORY_SLUGS: readonly string[] = [
  'aide-demarches-administratives',
  'maitrise-outils-numeriques',
  'insertion-professionnelle',
  'utilisation-securisee',
  'parentalite-education',
  'loisirs-creations-numeriques',
  'comprehension-monde-numerique',
  'acces-internet-materiel',
  'materiel-prix-solidaire',
];
