import { SepaError } from './sepa-error';

/**
 * The EPC "basic Latin" character set every SEPA bank must accept (EPC217-08): letters, digits, space and
 * / - ? : ( ) . , ' +. Wider sets exist per country, but only this one is safe end to end.
 */
const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const SEPA_CHAR = /[A-Za-z0-9/\-?:().,'+ ]/;
const COMBINING_MARK = /\p{M}/u;

/** Characters that Unicode decomposition does not reduce to basic Latin, with the EPC's usual substitutes. */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Ł: 'L',
  ł: 'l',
  Þ: 'TH',
  þ: 'th',
  ı: 'i',
  '&': '+',
  '€': 'EUR',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u02BC': "'",
  '`': "'",
  '\u00B4': "'",
  '"': "'",
  '\u201C': "'",
  '\u201D': "'",
  '\u201E': "'",
  '\u00AB': "'",
  '\u00BB': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  _: '-',
  '~': '-',
  ';': ',',
  '!': '.',
  '*': '.',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '<': '(',
  '>': ')',
  '\\': '/',
};

/** Capital ligatures follow the case of the next letter: "Œuvre" -> "Oeuvre", "ŒUVRE" -> "OEUVRE". */
const CAPITAL_LIGATURES: Readonly<Record<string, readonly [string, string]>> = {
  Œ: ['Oe', 'OE'],
  Æ: ['Ae', 'AE'],
};

/** Rewrites free text into the SEPA basic character set: é -> e, œ -> oe, & -> +, anything else -> space. */
export function toSepaText(input: string): string {
  // NFKD splits accented letters into base letter + combining mark and folds ligatures (ﬁ) and
  // compatibility forms (no-break space, full-width letters) into plain ASCII.
  const chars = [...input.normalize('NFKD')].filter((char) => !COMBINING_MARK.test(char));
  let out = '';
  chars.forEach((char, index) => {
    const ligature = CAPITAL_LIGATURES[char];
    if (SEPA_CHAR.test(char)) out += char;
    else if (ligature) out += /\p{Ll}/u.test(chars[index + 1] ?? '') ? ligature[0] : ligature[1];
    else out += SUBSTITUTES[char] ?? ' ';
  });
  return out.replace(/\s+/g, ' ').trim();
}

/** True when the text uses only the SEPA basic character set. */
export function isSepaText(text: string): boolean {
  return SEPA_TEXT.test(text);
}

/** Transliterates a free-text field and checks it is non-empty and at most `maxLength` characters. */
export function sepaTextField(value: string | undefined, field: string, maxLength: number): string {
  const text = toSepaText(value ?? '');
  if (text === '') throw new SepaError('missing_field', `${field} is empty`, { field });
  if (text.length > maxLength) {
    throw new SepaError('field_too_long', `${field} has ${text.length} characters, at most ${maxLength}`, {
      field,
      maxLength,
      length: text.length,
    });
  }
  return text;
}

/**
 * Identifiers (MsgId, PmtInfId, EndToEndId) are never transliterated: a changed id would not match the bank
 * return. They must be 1-35 SEPA characters without spaces, and (EPC rule) neither start nor end with `/`
 * nor contain `//`.
 */
export function isSepaIdentifier(id: string): boolean {
  return (
    /^[A-Za-z0-9/\-?:().,'+]{1,35}$/.test(id) &&
    !id.startsWith('/') &&
    !id.endsWith('/') &&
    !id.includes('//')
  );
}
