export { default } from '../../../../node_modules/pdfkit/js/standard-fonts/HelveticaBold.mjs';
