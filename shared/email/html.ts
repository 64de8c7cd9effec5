import { messages, type Language } from '../i18n';

/** Escape text for HTML. Every value placed in an e-mail's HTML goes through this. */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A value a catalogue sentence shows in bold in the HTML part (`strong(amount)`); plain in the text part. */
export interface Strong {
  strong: string;
}
export const strong = (value: string): Strong => ({ strong: value });

type Rich<A extends unknown[]> = { [K in keyof A]: A[K] extends string ? A[K] | Strong : A[K] };

/**
 * One catalogue sentence as text and as HTML: the sentence stays whole (as its translator wrote
 * it), the HTML escapes all of it and sets the `strong()` values in `<strong>`.
 */
export function sentence<A extends unknown[]>(fn: (...args: A) => string, ...args: Rich<A>): { text: string; html: string } {
  const isStrong = (a: unknown): a is Strong => typeof a === 'object' && a !== null && 'strong' in a;
  const text = fn(...(args.map((a) => (isStrong(a) ? a.strong : a)) as A));
  // Placeholders no catalogue text or value contains, and that esc() leaves alone.
  const marked = fn(...(args.map((a, i) => (isStrong(a) ? `\u0000${i}\u0000` : a)) as A));
  const html = esc(marked).replace(/\u0000(\d+)\u0000/g, (_, i: string) => `<strong>${esc((args[Number(i)] as Strong).strong)}</strong>`);
  return { text, html };
}

/**
 * A simple, accessible HTML frame: a language attribute, a title, real headings and paragraphs,
 * readable contrast, no layout tables, links with their own text.
 */
export function page(lang: Language, title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; background: #ffffff; max-width: 40em; margin: 0 auto; padding: 1em;">
<main>
<h1 style="font-size: 1.4em;">${esc(title)}</h1>
${bodyHtml}
</main>
<footer><p style="font-size: 0.9em; color: #4a4a4a;">${esc(messages(lang).email.footer)}</p></footer>
</body>
</html>`;
}
