import { expect } from 'chai';
import { SERVICE_CATEGORIES, SERVICE_SLUGS, serviceCategoryOf, serviceLabel } from './service-categories';

// The `services` enumerations of Schema_V0.1.json and of the v1.x schema.json (LaMednum/standard-mediation-num).
const V01_SERVICES = [
  'Devenir autonome dans les démarches administratives',
  'Réaliser des démarches administratives avec un accompagnement',
  'Prendre en main un smartphone ou une tablette',
  'Prendre en main un ordinateur',
  'Utiliser le numérique au quotidien',
  'Approfondir ma culture numérique',
  'Favoriser mon insertion professionnelle',
  'Accéder à une connexion internet',
  'Accéder à du matériel',
  'S’équiper en matériel informatique',
  'Créer et développer mon entreprise',
  'Créer avec le numérique',
  'Accompagner les démarches de santé',
  'Promouvoir la citoyenneté numérique',
  "Soutenir la parentalité et l'éducation avec le numérique",
];
const V1_SERVICES = [
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Parentalité et éducation avec le numérique',
  'Loisirs et créations numériques',
  'Compréhension du monde numérique',
  'Accès internet et matériel informatique',
  'Acquisition de matériel informatique à prix solidaire',
];

describe('SERVICE_CATEGORIES', () => {
  it('has one category per v1.x service, labelled with its v1.x name', () => {
    expect(SERVICE_CATEGORIES.map((category) => category.label)).to.deep.equal(V1_SERVICES);
    expect(new Set(SERVICE_SLUGS).size).to.equal(V1_SERVICES.length);
  });

  it('maps each of the 15 v0.1 services to exactly one category', () => {
    const mapped = SERVICE_CATEGORIES.flatMap((category) => category.v01Labels);
    expect([...mapped].sort()).to.deep.equal([...V01_SERVICES].sort());
    for (const name of V01_SERVICES) expect(serviceCategoryOf(name), name).to.be.a('string');
  });

  it('finds a category whatever the accents, case and apostrophes', () => {
    expect(serviceCategoryOf('Comprehension du monde numerique')).to.equal('comprehension-monde-numerique');
    expect(serviceCategoryOf("S'équiper en matériel informatique")).to.equal('materiel-prix-solidaire');
    expect(serviceCategoryOf('  ACCÈS INTERNET ET MATÉRIEL INFORMATIQUE ')).to.equal(
      'acces-internet-materiel',
    );
    expect(serviceCategoryOf('aide-demarches-administratives')).to.equal('aide-demarches-administratives');
    expect(serviceCategoryOf('Cours de cuisine')).to.equal(undefined);
  });

  it('gives the French label of a slug', () => {
    expect(serviceLabel('loisirs-creations-numeriques')).to.equal('Loisirs et créations numériques');
  });
});
