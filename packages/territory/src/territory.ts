import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
  population?: number;
  commune?: string;
}

interface RawDepartement {
  code: string;
  nom: string;
  region: string;
}

export interface Commune {
  /** INSEE code (COG), e.g. `07005`, `2A004`, `97120`. */
  code: string;
  name: string;
  departement: string;
  postcodes: string[];
}

export interface Departement {
  code: string;
  name: string;
}

interface Index {
  communes: Map<string, Commune>;
  departements: Map<string, Departement>;
  byPostcode: Map<string, Commune[]>;
  /** Arrondissements municipaux (Paris, Lyon, Marseille) → their commune. */
  parentOf: Map<string, string>;
}

let index: Index | undefined;

// The official geography (COG) from @etalab/decoupage-administratif, loaded once on first use (≈ 9 MB of JSON).
function load(): Index {
  if (index) return index;
  const rawCommunes = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const rawDepartements =
    require('@etalab/decoupage-administratif/data/departements.json') as RawDepartement[];
  const communes = new Map<string, Commune>();
  const byPostcode = new Map<string, Commune[]>();
  const parentOf = new Map<string, string>();
  for (const raw of rawCommunes) {
    if (!raw.departement) continue;
    if (raw.type !== 'commune-actuelle' && raw.type !== 'arrondissement-municipal') continue;
    const commune: Commune = {
      code: raw.code,
      name: raw.nom,
      departement: raw.departement,
      postcodes: raw.codesPostaux ?? [],
    };
    communes.set(commune.code, commune);
    if (raw.type === 'arrondissement-municipal' && raw.commune) parentOf.set(raw.code, raw.commune);
    for (const postcode of commune.postcodes) {
      const list = byPostcode.get(postcode) ?? [];
      list.push(commune);
      byPostcode.set(postcode, list);
    }
  }
  const departements = new Map(rawDepartements.map((d) => [d.code, { code: d.code, name: d.nom }]));
  index = { communes, departements, byPostcode, parentOf };
  return index;
}

/** The commune of an INSEE code, or undefined. */
export function findCommune(code: string): Commune | undefined {
  return load().communes.get(code.trim().toUpperCase());
}

/** The département of a code (`07`, `2A`, `971`), or undefined. */
export function findDepartement(code: string): Departement | undefined {
  return load().departements.get(code.trim().toUpperCase());
}

/** Every département, in code order. */
export function listDepartements(): Departement[] {
  return [...load().departements.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Communes served by a postcode (several communes often share one). */
export function communesByPostcode(postcode: string): Commune[] {
  return load().byPostcode.get(postcode.trim()) ?? [];
}

/** Communes whose name starts with the text (accents and case ignored), for pickers. */
export function searchCommunes(text: string, limit = 20): Commune[] {
  const needle = fold(text);
  if (needle.length < 2) return [];
  const out: Commune[] = [];
  for (const commune of load().communes.values()) {
    if (fold(commune.name).startsWith(needle)) {
      out.push(commune);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** Lower-case, accents and punctuation removed: `Saint-Étienne` → `saint etienne`. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Resolves the INSEE code of a venue from what an address usually has: a postcode and a commune name. Returns
 * undefined when the postcode is unknown or the name matches none of its communes (and several share it).
 */
export function resolveInseeCode(
  postcode: string | null | undefined,
  communeName: string | null | undefined,
): string | undefined {
  if (!postcode) return undefined;
  const candidates = communesByPostcode(postcode);
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0]!.code;
  if (!communeName) return undefined;
  const wanted = fold(communeName);
  const exact = candidates.find((c) => fold(c.name) === wanted);
  return exact?.code;
}

/** A batch territory: départements and/or communes. Empty lists mean "anywhere". */
export interface Territory {
  departements: string[];
  communes: string[];
}

/** Unknown codes in a territory (for a clear 400 listing them). */
export function unknownTerritoryCodes(territory: Territory): { departements: string[]; communes: string[] } {
  return {
    departements: territory.departements.filter((code) => !findDepartement(code)),
    communes: territory.communes.filter((code) => !findCommune(code)),
  };
}

/**
 * Whether a venue's commune is inside a territory: the commune itself is listed, its parent commune is listed
 * (arrondissements of Paris, Lyon, Marseille), or its département is listed. An empty territory allows all.
 */
export function isInTerritory(territory: Territory, inseeCode: string | null | undefined): boolean {
  if (territory.departements.length === 0 && territory.communes.length === 0) return true;
  if (!inseeCode) return false;
  const commune = findCommune(inseeCode);
  const parent = load().parentOf.get(inseeCode);
  if (territory.communes.includes(inseeCode) || (parent && territory.communes.includes(parent))) return true;
  const departement = commune?.departement ?? departementOfCode(inseeCode);
  return territory.departements.includes(departement);
}

/** The département part of an INSEE code: 3 digits overseas (97x), else 2 (incl. 2A/2B). */
export function departementOfCode(inseeCode: string): string {
  return inseeCode.startsWith('97') ? inseeCode.slice(0, 3) : inseeCode.slice(0, 2);
}
