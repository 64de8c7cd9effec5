// The shipped-apart pdfkit of the invoicing worker's bundle (infra/bundling/ship-apart.mjs):
// pdfkit's self-contained build, which needs no files of its package at run time, plus the
// invoice's TrueType fonts as bytes (esbuild's binary loader for .ttf), which in Node
// shared/invoices/pdf.ts reads from their package.
export * from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
export { default } from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
import regular from '../../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
import bold from '../../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';
export const invoiceFonts = { regular, bold };
