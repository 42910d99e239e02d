import type { ValidationResult } from './validation-result';

export type PhoneReason = 'empty' | 'invalid_characters' | 'wrong_length' | 'not_french' | 'invalid_prefix';
export type PhoneValidation = ValidationResult<
  PhoneReason,
  {
    /** Country calling code, e.g. '33' or '262'. */
    callingCode: string;
    /** The number as dialled from France, grouped by two ('04 75 58 29 13'), or null where that is not usual. */
    national: string | null;
    /** True when we had to guess: a leading zero lost by a spreadsheet, a '+' missing in front of '33'. */
    repaired: boolean;
  }
>;

// Calling codes the national open-data standard for digital-mediation venues accepts, with the number of
// digits that follow each one (ITU national significant numbers).
const SUBSCRIBER_LENGTHS: Readonly<Record<string, readonly number[]>> = {
  '33': [9], // metropolitan France
  '262': [9], // Réunion, Mayotte
  '269': [6, 7, 8, 9], // Mayotte's former code, still in old files
  '508': [6], // Saint-Pierre-et-Miquelon
  '590': [9], // Guadeloupe, Saint-Martin, Saint-Barthélemy
  '594': [9], // Guyane
  '596': [9], // Martinique
  '681': [6], // Wallis-et-Futuna
  '687': [6], // Nouvelle-Calédonie
  '689': [8], // Polynésie française
};
// Codes whose numbers are written with a national trunk 0 inside France; '+33 0…' is a frequent slip.
const TRUNK_ZERO_CODES = new Set(['33', '262', '508', '590', '594', '596']);

// Overseas departments share the French numbering plan but not +33: a national 0262… is +262 262…
const OVERSEAS_NATIONAL_PREFIXES: ReadonlyArray<[RegExp, string]> = [
  [/^0(262|263|269|639|692|693)/, '262'],
  [/^0(590|690|691)/, '590'],
  [/^0(594|694)/, '594'],
  [/^0(596|696|697)/, '596'],
];

const groupByTwo = (digits: string): string => digits.replace(/(\d{2})(?=\d)/g, '$1 ');

function fromInternational(callingCode: string, subscriber: string, repaired: boolean): PhoneValidation {
  let rest = subscriber;
  if (TRUNK_ZERO_CODES.has(callingCode) && rest.startsWith('0') && rest.length === 10) rest = rest.slice(1);
  if (!SUBSCRIBER_LENGTHS[callingCode]?.includes(rest.length)) return { ok: false, reason: 'wrong_length' };
  if (callingCode === '508') {
    return { ok: true, value: `+508${rest}`, callingCode, national: `05 08 ${groupByTwo(rest)}`, repaired };
  }
  if (rest.length === 9) {
    if (rest.startsWith('0')) return { ok: false, reason: 'invalid_prefix' };
    return {
      ok: true,
      value: `+${callingCode}${rest}`,
      callingCode,
      national: groupByTwo(`0${rest}`),
      repaired,
    };
  }
  return { ok: true, value: `+${callingCode}${rest}`, callingCode, national: null, repaired };
}

function fromNational(national: string, repaired: boolean): PhoneValidation {
  if (national[1] === '0') return { ok: false, reason: 'invalid_prefix' };
  if (national.startsWith('0508')) return fromInternational('508', national.slice(4), repaired);
  const overseas = OVERSEAS_NATIONAL_PREFIXES.find(([prefix]) => prefix.test(national));
  const callingCode = overseas?.[1] ?? '33';
  return {
    ok: true,
    value: `+${callingCode}${national.slice(1)}`,
    callingCode,
    national: groupByTwo(national),
    repaired,
  };
}

/**
 * Normalises a French phone number (metropolitan or overseas) to E.164 ('+33475582913'), the format the
 * national venue standard asks for. Accepts national ('04 75 58 29 13'), international ('+33 (0)4 75…',
 * '0033…') and the spreadsheet-damaged '475582913' / '33475582913', flagging the last two as repaired.
 */
export function normalizeFrenchPhone(input: string): PhoneValidation {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const compact = trimmed.replace(/\(0\)/g, '').replace(/[\s\u00a0\u202f.\-/()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'invalid_characters' };

  const international = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : null;
  if (international !== null) {
    const callingCode = Object.keys(SUBSCRIBER_LENGTHS).find((code) => international.startsWith(code));
    if (callingCode === undefined) return { ok: false, reason: 'not_french' };
    return fromInternational(callingCode, international.slice(callingCode.length), false);
  }
  if (compact.length === 10 && compact.startsWith('0')) return fromNational(compact, false);
  // A phone column read as a number loses its leading zero (475582913) or its '+' (33475582913).
  if (compact.length === 9 && !compact.startsWith('0')) return fromNational(`0${compact}`, true);
  if (compact.length === 11 && compact.startsWith('33'))
    return fromInternational('33', compact.slice(2), true);
  return { ok: false, reason: 'wrong_length' };
}
