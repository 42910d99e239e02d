/** Escapes LIKE wildcards in user text, so `50%` searches for "50%" and not "50 then anything". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
