/**
 * Dutch surnames as people type them. A surname's prefix (tussenvoegsel: `de`, `van der`,
 * `in 't`) is filed apart from it — "M. de Vries" sorts under V — and people type it before
 * (`de Vries`), after a comma (`Vries, de`) or not at all (`Vries`). The search key is the
 * surname without any leading prefix, case- and accent-folded, so every spelling is one lookup.
 */

/**
 * Words that make up a prefix (the BRP's table of voorvoegsels, less the one-letter forms that
 * are more often an initial): combinations such as `van der`, `in 't`, `op de`, `aan den` are
 * runs of these. Lower case, straight apostrophes.
 */
export const SURNAME_PREFIX_WORDS: ReadonlySet<string> = new Set([
  "'s", "'t", "d'", "l'", 'aan', 'af', 'al', 'am', 'auf', 'aus', 'ben', 'bij', 'bin', 'boven', 'da', 'dal', 'dalla', 'das',
  'de', 'degli', 'dei', 'del', 'della', 'den', 'der', 'des', 'di', 'die', 'do', 'don', 'dos', 'du', 'el', 'het', 'im',
  'in', 'la', 'las', 'le', 'les', 'lo', 'los', 'of', 'onder', 'op', 'over', 'te', 'ten', 'ter', 'tho', 'thoe', 'to',
  'toe', 'tot', 'uit', 'uijt', 'van', 'vanden', 'ver', 'voor', 'vom', 'von', 'zu', 'zum', 'zur',
]);

function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'");
}

/** Words of a name; an elided prefix glued to the surname (`d'Ancona`, `'s-Gravesande`) is a word of its own. */
function words(value: string): string[] {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => {
      const elided = /^(d'|l'|'s-?|'t-?)(.+)$/.exec(w);
      return elided ? [elided[1].replace(/-$/, ''), elided[2]] : [w];
    });
}

/**
 * The search key of a surname, typed or on file: `de Vries`, `De Vries`, `Vries`, `vries, de`
 * and `Vriës` all give `vries`; `van der Berg` and `Berg` give `berg`. Leading prefix words are
 * dropped as long as a word is left (someone may be called `Van`); after a comma comes the
 * prefix (`Vries, de`), which the key leaves out too.
 */
export function surnameKey(value: string): string {
  const beforeComma = fold(value).split(',')[0];
  const parts = words(beforeComma);
  let first = 0;
  while (first < parts.length - 1 && SURNAME_PREFIX_WORDS.has(parts[first])) first++;
  return parts
    .slice(first)
    .join('')
    .replace(/[^a-z0-9]/g, '');
}

/** An initial as people type it: `M.`, `J.P.`, `j.p`, or one letter alone (`M de Vries`). */
const INITIALS = /^(?:\p{L}\.)+\p{L}?$|^\p{L}$/u;

/**
 * A name typed into one field (the public register's search), split into the surname as the
 * register search takes it (prefix and comma form left to `surnameKey`) and the initials, if any:
 * `M. de Vries` → `de Vries` + `M.`; `Vries, de, M.`, `Vries, M. de` and `de Vries, M.` → surname
 * `Vries, de` / `Vries` / `de Vries` + `M.`. Initials are recognised before the surname, after its
 * comma, or (with their dot) after it, so a surname is never taken for one; a lone word stays
 * the surname.
 */
export function splitTypedName(typed: string): { lastName: string; initials?: string } {
  const [head, ...tail] = typed.trim().split(',');
  const words = head.split(/\s+/).filter(Boolean);
  const before: string[] = [];
  while (words.length > 1 && INITIALS.test(words[0])) before.push(words.shift()!);
  // Written after the surname without a comma, an initial needs its dot (`de Vries M.`).
  const after: string[] = [];
  while (words.length > 1 && INITIALS.test(words[words.length - 1]) && words[words.length - 1].includes('.')) after.unshift(words.pop()!);
  const afterComma: string[] = [];
  const prefix: string[] = [];
  for (const word of tail.join(' ').split(/\s+/).filter(Boolean)) (INITIALS.test(word) ? afterComma : prefix).push(word);
  const initials = [...before, ...after, ...afterComma].join('');
  const lastName = prefix.length ? `${words.join(' ')}, ${prefix.join(' ')}` : words.join(' ');
  return initials ? { lastName, initials } : { lastName };
}
