import { communesByPostcode, fold, resolveInseeCode, searchCommunes } from '@pass/territory';

export type InseeResolution =
  | { code: string; method: 'postcode' | 'postcode_and_name' | 'name_only'; communeName: string }
  | undefined;

// Letters only, so "Saint-Donat-sur-l'Herbasse" and "Saint-Donat-sur-lHerbasse" compare equal.
const compact = (text: string) => fold(text).replace(/ /g, '');

/** "Annecy Cedex 03" → "Annecy": a CEDEX suffix is a mail routing code, not part of the commune's name. */
function withoutCedex(name: string): string {
  return name.replace(/\s+cedex(\s+\d+)?\s*$/i, '').trim();
}

/**
 * The INSEE code of a venue from its postcode and commune name, tolerant of what open-data files contain:
 * 1. the official lookup (`resolveInseeCode`): one commune for the postcode, or the exact name among several;
 * 2. among the postcode's communes, the one whose name matches ignoring punctuation, or contains / is contained
 *    in the given name (merged communes: "La Rochette" → "Valgelon-La Rochette"; "Sciez-sur-Léman" → "Sciez");
 * 3. the name alone when exactly one commune in France has it (a wrong postcode: "01500 Bourg-en-Bresse").
 * Returns undefined when none of this gives exactly one commune.
 */
export function resolveVenueInseeCode(postcode: string | null, commune: string | null): InseeResolution {
  const key = `${postcode ?? ''}|${commune ?? ''}`;
  if (memo.has(key)) return memo.get(key);
  // The name-only fallback scans every commune of France (≈ 20 ms): remember answers, the geography is fixed.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const resolution = resolveUncached(postcode, commune);
  memo.set(key, resolution);
  return resolution;
}

const MEMO_LIMIT = 20_000;
const memo = new Map<string, InseeResolution>();

function resolveUncached(postcode: string | null, commune: string | null): InseeResolution {
  const name = commune ? withoutCedex(commune) : null;
  const candidates = postcode ? communesByPostcode(postcode) : [];
  const direct = resolveInseeCode(postcode, name);
  if (direct) {
    const found = candidates.find((candidate) => candidate.code === direct);
    return {
      code: direct,
      method: candidates.length === 1 ? 'postcode' : 'postcode_and_name',
      communeName: found?.name ?? '',
    };
  }
  if (!name) return undefined;
  const wanted = compact(name);
  if (wanted.length < 2) return undefined;
  const same = candidates.filter((candidate) => compact(candidate.name) === wanted);
  const close =
    same.length > 0
      ? same
      : candidates.filter((candidate) => {
          const have = compact(candidate.name);
          // A very short name ("Eu", "Y") is contained in too many others to mean anything.
          return (wanted.length >= 4 && have.includes(wanted)) || (have.length >= 4 && wanted.includes(have));
        });
  if (close.length === 1)
    return { code: close[0]!.code, method: 'postcode_and_name', communeName: close[0]!.name };
  const everywhere = searchCommunes(name, 50).filter((candidate) => compact(candidate.name) === wanted);
  if (everywhere.length === 1) {
    return { code: everywhere[0]!.code, method: 'name_only', communeName: everywhere[0]!.name };
  }
  return undefined;
}
