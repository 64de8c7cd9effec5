/** Escape text for HTML. Every value placed in an e-mail's HTML goes through this. */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * A simple, accessible HTML frame: a language attribute, a title, real headings and paragraphs,
 * readable contrast, no layout tables, links with their own text.
 */
export function page(lang: 'nl' | 'en', title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; background: #ffffff; max-width: 40em; margin: 0 auto; padding: 1em;">
<main>
<h1 style="font-size: 1.4em;">${esc(title)}</h1>
${bodyHtml}
</main>
<footer><p style="font-size: 0.9em; color: #4a4a4a;">PE-register — permanente educatie uitzendbranche</p></footer>
</body>
</html>`;
}
