import { pageHandler, type PageContext } from '../../shared/web/page';
import { Alert, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { BadRequest } from '../../shared/domain/errors';
import { pageRequest } from '../../shared/http/cursor';
import { listInvoicesOf, type InvoiceSummary } from '../../shared/services/invoice-views';
import { formatDate, formatMoney } from '../../shared/i18n';

/*
 * /werkgever/facturen: the employer's invoices and credit notes, newest first, from the list of
 * `GET /v1/employers/{id}/invoices` (its own payer partition: another's never shows), paged with
 * a cursor signed for this route and this user's employer; each with its PDF and UBL download.
 */
const PAGE_SIZE = 25;

export const handler = pageHandler({
  routes: ['page-employer-invoices'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const e = ctx.t.employer;
    const employer = await sessionEmployer(ctx);
    let paging;
    try {
      paging = await pageRequest('page-employer-invoices', { caller: ctx.caller, query: { limit: PAGE_SIZE, cursor: ctx.query.cursor } });
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      return { status: 400, title: e.invoicesTitle, body: <Invoices ctx={ctx} badLink /> };
    }
    const list = await listInvoicesOf({ type: 'employer', id: employer.employerId }, paging);
    const next = list.nextCursor ? `/werkgever/facturen?${new URLSearchParams({ cursor: list.nextCursor })}` : undefined;
    return { title: e.invoicesTitle, body: <Invoices ctx={ctx} items={list.items} next={next} paged={paging.start !== undefined} /> };
  },
});

function Invoices({ ctx, items, next, paged, badLink }: { ctx: PageContext; items?: InvoiceSummary[]; next?: string; paged?: boolean; badLink?: boolean }) {
  const { t, lang } = ctx;
  const e = t.employer;
  const date = (iso: string) => formatDate(lang, iso);
  return (
    <>
      <Heading>{e.invoicesTitle}</Heading>
      <EmployerNav t={t} current="/werkgever/facturen" />
      <Paragraph>{e.invoicesIntro}</Paragraph>
      {badLink ? <Alert type="error">{e.badLink}</Alert> : null}
      {items && items.length ? (
        <Table
          caption={e.invoicesCaption}
          headers={e.invoiceColumns}
          rows={items.map((inv) => [
            inv.invoiceNumber,
            inv.documentType === 'credit-note' ? e.creditNote : e.invoice,
            e.periodRange(date(inv.period.from), date(inv.period.to)),
            date(inv.issuedOn),
            formatMoney(lang, inv.totalCents / 100),
            e.invoiceStatuses[inv.status],
            <>
              <Link href={`/werkgever/facturen/${inv.invoiceId}/pdf`} download>
                {e.pdfOf(inv.invoiceNumber)}
              </Link>{' '}
              <Link href={`/werkgever/facturen/${inv.invoiceId}/ubl`} download>
                {e.ublOf(inv.invoiceNumber)}
              </Link>
            </>,
          ])}
        />
      ) : items ? (
        <Paragraph>{e.noInvoices}</Paragraph>
      ) : null}
      {next ? (
        <Paragraph>
          <Link href={next}>{e.nextInvoices}</Link>
        </Paragraph>
      ) : null}
      {paged || badLink ? (
        <Paragraph>
          <Link href="/werkgever/facturen">{e.firstPage}</Link>
        </Paragraph>
      ) : null}
    </>
  );
}
