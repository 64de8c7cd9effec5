/**
 * Reads the text back out of the PDFs pdfkit writes: one run per text object (pdfkit writes one
 * per line of text), in drawing order, with where it was drawn. Enough to assert what an invoice
 * shows and that no two pieces of text are printed over each other.
 *
 * Handles both kinds of font pdfkit writes: embedded TrueType subsets (Type0, Identity-H, 2-byte
 * glyph ids decoded through the font's ToUnicode CMap, widths from its /W array) and the
 * standard 14 fonts (WinAnsi bytes; no widths in the file, so `width` is NaN for them).
 */
import { inflateSync } from 'node:zlib';

// WinAnsi differs from Latin-1 in 0x80–0x9F; these are the ones Dutch invoices use.
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—' };

export interface TextRun {
  text: string;
  /** 1-based page number. */
  page: number;
  /** Top-down page coordinates in points (as pdfkit's API uses them): start of the baseline. */
  x: number;
  baseline: number;
  /** Advance width of the run as drawn (glyph widths and TJ adjustments); NaN for standard fonts. */
  width: number;
  /** The font's ascent and descent at this size: the run's box is x..x+width, top..bottom. */
  top: number;
  bottom: number;
  size: number;
  /** The font's BaseFont without its subset tag, e.g. `DejaVuSans-Bold`. */
  font: string;
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

interface FontInfo {
  name: string;
  /** Code → text, for fonts with a ToUnicode CMap (2-byte codes); undefined for WinAnsi fonts. */
  unicode?: Map<number, string>;
  widths: Map<number, number>;
  ascent: number;
  descent: number;
}

/** Every `n 0 obj`, its dictionary and (inflated) stream, skipping over stream bytes by /Length. */
function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const head = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = head.exec(raw))) {
    let i = head.lastIndex;
    let dict = '';
    if (raw.startsWith('<<', i)) {
      let depth = 0;
      const start = i;
      while (i < raw.length) {
        if (raw.startsWith('<<', i)) {
          depth++;
          i += 2;
        } else if (raw.startsWith('>>', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      dict = raw.slice(start, i);
    } else {
      dict = raw.slice(i, raw.indexOf('endobj', i));
    }
    const after = /^\s*stream\r?\n/.exec(raw.slice(i, i + 20));
    let stream: Buffer | undefined;
    if (after) {
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? 0);
      const start = i + after[0].length;
      const bytes = Buffer.from(raw.slice(start, start + length), 'latin1');
      try {
        stream = /\/FlateDecode/.test(dict) ? inflateSync(bytes) : bytes;
      } catch {
        stream = bytes;
      }
      i = start + length;
    }
    objects.set(Number(m[1]), { dict, stream });
    head.lastIndex = i;
  }
  return objects;
}

const ref = (dict: string, key: string) => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

function utf16(hex: string): string {
  const units: number[] = [];
  const clean = hex.replace(/\s+/g, '');
  for (let i = 0; i + 3 < clean.length; i += 4) units.push(parseInt(clean.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** A ToUnicode CMap: bfchar and bfrange (both the incrementing and the array form). */
function parseCMap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(src, 16), utf16(dst));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const from = parseInt(lo, 16);
      const to = parseInt(hi, 16);
      if (dst.startsWith('[')) {
        [...dst.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((d, k) => map.set(from + k, utf16(d[1])));
      } else {
        const first = utf16(dst.slice(1, -1));
        for (let c = from; c <= to; c++) map.set(c, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + (c - from)));
      }
    }
  }
  return map;
}

/** A CIDFont's /W array: `c [w1 w2 …]` and `c1 c2 w`. */
function parseWidths(dict: string): Map<number, number> {
  const widths = new Map<number, number>();
  const start = dict.indexOf('/W [');
  if (start < 0) return widths;
  let depth = 0;
  let end = start + 3;
  for (; end < dict.length; end++) {
    if (dict[end] === '[') depth++;
    else if (dict[end] === ']' && --depth === 0) break;
  }
  const body = dict.slice(start + 4, end);
  const tokens = [...body.matchAll(/\[|\]|-?[\d.]+/g)].map((t) => t[0]);
  for (let i = 0; i < tokens.length; ) {
    const first = Number(tokens[i]);
    if (tokens[i + 1] === '[') {
      let k = i + 2;
      for (let c = first; tokens[k] !== ']'; k++, c++) widths.set(c, Number(tokens[k]));
      i = k + 1;
    } else {
      for (let c = first; c <= Number(tokens[i + 1]); c++) widths.set(c, Number(tokens[i + 2]));
      i += 3;
    }
  }
  return widths;
}

function fontInfo(objects: Map<number, PdfObject>, id: number): FontInfo {
  const dict = objects.get(id)?.dict ?? '';
  const name = (/\/BaseFont \/(?:[A-Z]{6}\+)?([^\s/>]+)/.exec(dict)?.[1] ?? '?').trim();
  const toUnicode = ref(dict, 'ToUnicode');
  const descendant = /\/DescendantFonts \[(\d+) 0 R\]/.exec(dict);
  const cid = descendant ? (objects.get(Number(descendant[1]))?.dict ?? '') : '';
  const descriptor = objects.get(ref(cid || dict, 'FontDescriptor') ?? -1)?.dict ?? '';
  return {
    name,
    unicode: toUnicode !== undefined ? parseCMap(objects.get(toUnicode)?.stream?.toString('latin1') ?? '') : undefined,
    widths: parseWidths(cid),
    // The standard fonts carry no descriptor: Helvetica's metrics.
    ascent: Number(/\/Ascent (-?[\d.]+)/.exec(descriptor)?.[1] ?? 718) / 1000,
    descent: Number(/\/Descent (-?[\d.]+)/.exec(descriptor)?.[1] ?? -207) / 1000,
  };
}

function decode(font: FontInfo | undefined, hex: string): { text: string; advance: number } {
  const clean = hex.replace(/\s+/g, '');
  let text = '';
  let advance = 0;
  if (font?.unicode) {
    for (let i = 0; i + 3 < clean.length; i += 4) {
      const code = parseInt(clean.slice(i, i + 4), 16);
      text += font.unicode.get(code) ?? '\uFFFD';
      advance += font.widths.get(code) ?? NaN;
    }
  } else {
    for (let i = 0; i + 1 < clean.length; i += 2) {
      const code = parseInt(clean.slice(i, i + 2), 16);
      text += WIN_ANSI[code] ?? String.fromCharCode(code);
      advance = NaN;
    }
  }
  return { text, advance };
}

/**
 * The text runs of a PDF. Positions assume pdfkit's content layout: every text object sits in
 * `q 1 0 0 -1 0 H cm … Q` inside a page that starts with the same flip, so the two cancel and
 * `Tm`'s translation is in PDF space (origin bottom left); it is turned top-down here.
 */
export function pdfTextRuns(pdf: Buffer): TextRun[] {
  const objects = parseObjects(pdf);
  const fonts = new Map<number, FontInfo>();
  const fontOf = (id: number) => fonts.get(id) ?? fonts.set(id, fontInfo(objects, id)).get(id)!;

  const pagesRoot = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict) && !/\/Parent /.test(o.dict));
  const kids = pagesRoot ? [...(/\/Kids \[([^\]]*)\]/.exec(pagesRoot.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1])) : [];
  const runs: TextRun[] = [];
  kids.forEach((pageId, index) => {
    const page = objects.get(pageId)!.dict;
    const height = Number(/\/MediaBox \[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s*\]/.exec(page)?.[1] ?? 841.89);
    const resources = objects.get(ref(page, 'Resources') ?? -1)?.dict ?? page;
    const fontRefs = new Map<string, number>();
    const fontDict = /\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '';
    for (const [, name, id] of fontDict.matchAll(/\/(\S+) (\d+) 0 R/g)) fontRefs.set(name, Number(id));
    const contents = ref(page, 'Contents');
    const content = objects.get(contents ?? -1)?.stream?.toString('latin1') ?? '';

    let font: FontInfo | undefined;
    let size = 0;
    let tx = 0;
    let ty = 0;
    let run: { text: string; advance: number } | undefined;
    const ops = /\/(\S+)\s+(-?[\d.]+)\s+Tf|(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+Tm|\[((?:<[0-9a-fA-F\s]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj|\bBT\b|\bET\b/g;
    for (const op of content.matchAll(ops)) {
      if (op[1] !== undefined) {
        font = fontRefs.has(op[1]) ? fontOf(fontRefs.get(op[1])!) : undefined;
        size = Number(op[2]);
      } else if (op[3] !== undefined) {
        tx = Number(op[7]);
        ty = Number(op[8]);
      } else if (op[9] !== undefined) {
        run ??= { text: '', advance: 0 };
        for (const piece of op[9].matchAll(/<([0-9a-fA-F\s]*)>|(-?[\d.]+)/g)) {
          if (piece[1] !== undefined) {
            const d = decode(font, piece[1]);
            run.text += d.text;
            run.advance += d.advance;
          } else run.advance -= Number(piece[2]);
        }
      } else if (op[10] !== undefined) {
        run ??= { text: '', advance: 0 };
        const d = decode(font, op[10]);
        run.text += d.text;
        run.advance += d.advance;
      } else if (op[0] === 'BT') {
        run = undefined;
      } else if (op[0] === 'ET') {
        if (run?.text) {
          const baseline = height - ty;
          runs.push({
            text: run.text,
            page: index + 1,
            x: tx,
            baseline,
            width: (run.advance * size) / 1000,
            top: baseline - (font?.ascent ?? 0.718) * size,
            bottom: baseline - (font?.descent ?? -0.207) * size,
            size,
            font: font?.name ?? '?',
          });
        }
        run = undefined;
      }
    }
  });
  return runs;
}

export function pdfTextLines(pdf: Buffer): string[] {
  return pdfTextRuns(pdf).map((r) => r.text);
}

export function pdfText(pdf: Buffer): string {
  return pdfTextLines(pdf).join('\n');
}
