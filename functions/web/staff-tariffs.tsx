import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Paragraph, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate, formatMoney } from '../../shared/i18n';
import { actorOf } from '../../shared/services/access';
import { loadTariffs, putTariff, tariffOn } from '../../shared/data/tariffs';
import { PutTariffRequestSchema } from '../../shared/schemas/invoices';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /beheer/tarieven: the registration fee's history (GET /v1/tariffs/registration) and the form
 * that sets a new one from a date (PUT …): the amount in euros as people type it — `45,00`,
 * `45.00`, `€ 45`, `1.234,50` — becomes cents, checked by the API's own schema.
 */

/** Euros as typed → cents; undefined when it is not an amount. */
function euroCents(typed: string): number | undefined {
  let s = typed.replace(/[€\s]/g, '');
  if (!/^\d{1,3}(?:[.,]?\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$/.test(s)) return undefined;
  // The last separator followed by 1–2 digits is the decimal mark; any other is a thousands separator.
  const m = /[.,](\d{1,2})$/.exec(s);
  const cents = m ? Number(m[1].padEnd(2, '0')) : 0;
  if (m) s = s.slice(0, -m[0].length);
  const euros = Number(s.replace(/[.,]/g, ''));
  return Number.isSafeInteger(euros) ? euros * 100 + cents : undefined;
}

interface Values {
  amount: string;
  vat: string;
  validFrom: string;
}

export const handler = pageHandler({
  routes: ['page-staff-tariffs', 'page-staff-tariff-set'],
  handler: async (ctx) => {
    if (ctx.route.id !== 'page-staff-tariff-set') return show(ctx, { amount: '', vat: '21', validFrom: '' }, []);
    const r = ctx.t.staff.tariffs;
    const values: Values = { amount: ctx.form.amount ?? '', vat: ctx.form.vat ?? '', validFrom: ctx.form.validFrom ?? '' };
    const cents = euroCents(values.amount);
    const vat = Number(values.vat.trim().replace(',', '.').replace(/%$/, ''));
    const input = {
      amountCents: cents ?? Number.NaN,
      vatRatePercent: values.vat.trim() === '' ? Number.NaN : vat,
      validFrom: values.validFrom.trim(),
    };
    const checked = checkForm(PutTariffRequestSchema, input, ctx.t, { amountCents: r.amount, vatRatePercent: r.vat, validFrom: r.validFrom });
    const errors: FormError[] = [];
    if (!checked.ok) {
      const field = { amountCents: 'amount', vatRatePercent: 'vat', validFrom: 'validFrom' } as Record<string, string>;
      const typed = values as unknown as Record<string, string>;
      for (const e of checked.errors) {
        const name = field[e.field] ?? e.field;
        const label = name === 'amount' ? r.amount : name === 'vat' ? r.vat : r.validFrom;
        errors.push({ field: name, message: typed[name]?.trim() ? ctx.t.errors.invalid(label) : ctx.t.errors.required(label) });
      }
    }
    if (!checked.ok) return { ...(await show(ctx, values, errors)), status: 400 };
    const { replaced } = await putTariff(checked.data, actorOf(ctx.caller));
    return { redirect: `/beheer/tarieven?${new URLSearchParams({ vastgesteld: checked.data.validFrom, bedrag: String(checked.data.amountCents), ...(replaced ? { vervangen: '1' } : {}) })}` };
  },
});

async function show(ctx: PageContext, values: Values, errors: FormError[]): Promise<Extract<PageResult, { title: string }>> {
  const { t, lang } = ctx;
  const r = t.staff.tariffs;
  const tariffs = await loadTariffs();
  const current = tariffOn(tariffs, ctx.today);
  const money = (cents: number) => formatMoney(lang, cents / 100);
  const saved = ctx.route.method === 'GET' && /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.vastgesteld ?? '') && /^\d+$/.test(ctx.query.bedrag ?? '');
  const percent = (n: number) => String(n).replace('.', lang === 'nl' ? ',' : '.');
  return {
    title: r.title,
    body: (
      <>
        <Heading>{r.title}</Heading>
        <StaffNav t={t} current="tariffs" />
        <ErrorSummary t={t} errors={errors} />
        {saved ? (
          <Alert type="ok">
            {r.saved(money(Number(ctx.query.bedrag)), formatDate(lang, ctx.query.vastgesteld))}
            {ctx.query.vervangen === '1' ? ` ${r.replaced}` : ''}
          </Alert>
        ) : null}
        <Paragraph>{r.intro}</Paragraph>
        <Paragraph>{current ? r.current(money(current.amountCents), percent(current.vatRatePercent)) : r.noCurrent}</Paragraph>
        {tariffs.length ? (
          <Table
            caption={r.caption}
            headers={r.columns}
            rows={tariffs.map((x) => [formatDate(lang, x.validFrom), money(x.amountCents), `${percent(x.vatRatePercent)}%`, formatDate(lang, todayInAmsterdam(new Date(x.setAt)))])}
          />
        ) : (
          <Paragraph>{r.none}</Paragraph>
        )}
        <Heading level={2}>{r.formHeading}</Heading>
        <Form action="/beheer/tarieven" csrf={ctx.csrf} label={r.formHeading}>
          <TextField name="amount" label={r.amount} description={r.amountHint} value={values.amount} errors={errors} inputMode="text" />
          <TextField name="vat" label={r.vat} description={r.vatHint} value={values.vat} errors={errors} inputMode="numeric" />
          <TextField name="validFrom" type="date" label={r.validFrom} value={values.validFrom} errors={errors} />
          <SubmitButton>{r.submit}</SubmitButton>
        </Form>
      </>
    ),
  };
}
