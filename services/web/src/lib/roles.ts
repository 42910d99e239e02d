import type { Role } from '../api/session';

export interface NavItem {
  href: string;
  label: string;
}

/** How each role is named on screen. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  operator_admin: 'Opérateur — administration',
  operator_finance: 'Opérateur — finances',
  funder_manager: 'Financeur',
  distributor_agent: 'Distributeur',
  venue_agent: 'Lieu de médiation',
  association_treasurer: 'Trésorerie de l’association',
};

const OPERATOR_NAV: NavItem[] = [
  { href: '/operateur', label: 'Accueil' },
  { href: '/operateur/commandes', label: 'Commandes' },
  { href: '/operateur/habilitations', label: 'Habilitations' },
  { href: '/operateur/import-lieux', label: 'Import de lieux' },
  { href: '/operateur/coordonnees-bancaires', label: 'Changements de RIB' },
  { href: '/operateur/reglements', label: 'Règlements' },
  { href: '/operateur/releves-bancaires', label: 'Retours bancaires' },
  { href: '/operateur/fraude', label: 'Alertes fraude' },
  { href: '/operateur/grand-livre', label: 'Grand livre' },
  { href: '/operateur/journal', label: 'Journal d’audit' },
];

/** The menu of each role: only the screens that role can use. */
export const NAVIGATION: Readonly<Record<Role, NavItem[]>> = {
  venue_agent: [
    { href: '/lieu/scanner', label: 'Valider des pass' },
    { href: '/lieu/aujourdhui', label: 'Validations du jour' },
  ],
  funder_manager: [
    { href: '/financeur', label: 'Tableau de bord' },
    { href: '/financeur/commandes', label: 'Commandes' },
    { href: '/financeur/commandes/nouvelle', label: 'Nouvelle commande' },
    { href: '/financeur/stocks', label: 'Stocks des distributeurs' },
  ],
  distributor_agent: [
    { href: '/distributeur', label: 'Mon stock' },
    { href: '/distributeur/remettre', label: 'Remettre un carnet' },
    { href: '/distributeur/retour', label: 'Retourner des carnets' },
  ],
  association_treasurer: [
    { href: '/association', label: 'Validations par lieu' },
    { href: '/association/releves', label: 'Relevés' },
    { href: '/association/virements', label: 'Virements' },
    { href: '/association/coordonnees-bancaires', label: 'Coordonnées bancaires' },
  ],
  operator_admin: OPERATOR_NAV,
  operator_finance: OPERATOR_NAV,
};

/** Where a role lands after login. */
export function homeOf(role: Role): string {
  return NAVIGATION[role][0]!.href;
}

/** Whether a path belongs to the role's area (anything else sends the person to their home). */
export function canOpen(role: Role, path: string): boolean {
  const area = AREAS[role];
  return path === area || path.startsWith(`${area}/`);
}

const AREAS: Readonly<Record<Role, string>> = {
  venue_agent: '/lieu',
  funder_manager: '/financeur',
  distributor_agent: '/distributeur',
  association_treasurer: '/association',
  operator_admin: '/operateur',
  operator_finance: '/operateur',
};
