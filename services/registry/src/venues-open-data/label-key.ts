/**
 * A comparison key for French labels typed by hand: no accents, straight apostrophes, one space, lower case.
 * Open-data files write "Comprehension" and "Compréhension", "S’équiper" and "S'équiper" for the same value.
 */
export function labelKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[«»"]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
