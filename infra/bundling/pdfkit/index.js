// Lambda bundles only (see infra/constructs/pe-function.ts): pdfkit's self-contained build, which
// needs no files of its package at run time; the fonts come in through registerStdFonts.
export * from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
export { default } from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
