import { pageHandler } from '../../shared/web/page';
import { toCsv } from '../../shared/services/csv';
import { employerFor } from '../../shared/services/employers/access';

/*
 * /werkgever/registreren/voorbeeld.csv: a file to start from, as Dutch Excel saves it (`;`, a
 * UTF-8 BOM, dd-mm-jjjj dates, the Dutch headings) — what the upload reads. The rows are made up.
 */
const EXAMPLE_ROWS = [
  ['UP-2019-001234', '30-06-1988', 'a.jansen@voorbeeld.nl'],
  ['UP-2020-004567', '15-03-1992', 'e.de.vries@voorbeeld.nl'],
  ['UP-2021-007890', '01-11-1985', 'r.el.amrani@voorbeeld.nl'],
];

export const handler = pageHandler({
  routes: ['page-employer-registration-example'],
  handler: async (ctx) => {
    await employerFor(ctx.caller, ctx.session!.ownerId);
    return {
      file: Buffer.from(toCsv(['Diplomanummer', 'Geboortedatum', 'E-mailadres'], EXAMPLE_ROWS), 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      filename: 'voorbeeld-collectieve-registratie.csv',
    };
  },
});
