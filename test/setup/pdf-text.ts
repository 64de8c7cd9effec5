/**
 * Reads the text back out of the PDFs pdfkit writes (standard fonts, WinAnsi hex strings in TJ
 * arrays): one string per text object, in drawing order. Enough to assert what an invoice shows.
 */
import { inflateSync } from 'node:zlib';

// WinAnsi differs from Latin-1 in 0x80–0x9F; these are the ones Dutch invoices use.
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—' };

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI[code] ?? String.fromCharCode(code);
  }
  return out;
}

export function pdfTextLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  const raw = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    if (raw.slice(m.index - 3, m.index) === 'end') continue; // "endstream", not a stream start
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const dict = raw.slice(Math.max(0, m.index - 200), m.index);
    let content: string;
    try {
      const bytes = Buffer.from(raw.slice(start, end), 'latin1');
      content = /FlateDecode/.test(dict.slice(dict.lastIndexOf('<<'))) ? inflateSync(bytes).toString('latin1') : bytes.toString('latin1');
    } catch {
      continue;
    }
    for (const bt of content.split(/\bBT\b/).slice(1)) {
      const body = bt.split(/\bET\b/)[0];
      let text = '';
      for (const piece of body.matchAll(/\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
        if (piece[1] !== undefined) for (const h of piece[1].matchAll(/<([0-9a-fA-F]*)>/g)) text += decodeHex(h[1]);
        else text += decodeHex(piece[2]);
      }
      if (text) lines.push(text);
    }
    re.lastIndex = end;
  }
  return lines;
}

export function pdfText(pdf: Buffer): string {
  return pdfTextLines(pdf).join('\n');
}
