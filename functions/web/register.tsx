import { checkForm, pageHandler } from '../../shared/web/page';
import { ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { validate } from '../../shared/http/validation';
import { RegisterLookupQuerySchema, RegisterNumberParamsSchema, RegisterSearchQuerySchema } from '../../shared/schemas/participants';
import { searchRegister } from '../../shared/services/participants';
import { splitTypedName } from '../../shared/domain/names';
import { formatDate, type Language, type Messages } from '../../shared/i18n';

/** What searchRegister hands out at most (API.md: up to 20). */
const MAX_RESULTS = 20;

type Entry = Awaited<ReturnType<typeof searchRegister>>[number];

/**
 * `/register`: one field (WEB.md), a name as people type it or a registration number. A number
 * goes to its entry; a name is split into surname and initials and searched exactly as
 * `GET /v1/register?lastName=&initials=` searches (the same schema, the same service).
 */
export const handler = pageHandler({
  routes: ['page-register'],
  handler: async ({ t, lang, query, today }) => {
    const label = t.register.searchLabel;
    const typed = query.q;
    if (typed === undefined || typed.trim() === '') return { title: t.register.title, body: <Search t={t} /> };
    const fail = (errors: FormError[]) => ({ status: 400, title: t.register.title, body: <Search t={t} typed={typed} errors={errors} /> });

    const checked = checkForm(RegisterLookupQuerySchema, { q: typed }, t, { q: label });
    if (!checked.ok) return fail(checked.errors);
    const q = checked.data.q;
    const number = validate(RegisterNumberParamsSchema, { registrationNumber: q.replace(/\s+/g, '') });
    if (number.ok) return { redirect: `/register/${encodeURIComponent(number.data.registrationNumber.toUpperCase())}` };
    const name = validate(RegisterSearchQuerySchema, splitTypedName(q));
    if (!name.ok) return fail([{ field: 'q', message: t.errors.invalid(label) }]);
    const entries = await searchRegister(name.data.lastName, name.data.initials, today);
    return { title: t.register.title, body: <Search t={t} typed={typed} results={{ q, entries, lang }} /> };
  },
});

function Search({ t, typed, errors = [], results }: { t: Messages; typed?: string; errors?: FormError[]; results?: { q: string; entries: Entry[]; lang: Language } }) {
  return (
    <>
      <Heading>{t.register.title}</Heading>
      <Paragraph lead>{t.register.lead}</Paragraph>
      <ErrorSummary t={t} errors={errors} />
      <Form action="/register" method="get" label={t.register.title}>
        <TextField name="q" type="search" label={t.register.searchLabel} description={t.register.searchHint} value={typed} errors={errors} autocomplete="off" />
        <SubmitButton>{t.register.searchButton}</SubmitButton>
      </Form>
      {results ? <Results t={t} {...results} /> : null}
    </>
  );
}

function Results({ t, q, entries, lang }: { t: Messages; q: string; entries: Entry[]; lang: Language }) {
  const r = t.register;
  if (!entries.length) return <Paragraph>{r.noneFound(q)}</Paragraph>;
  return (
    <>
      <Table
        caption={r.resultsCaption(q)}
        headers={[r.columnName, r.columnTitle, r.columnStatus, r.columnValidUntil]}
        rows={entries.map((e) => [
          <Link href={`/register/${encodeURIComponent(e.registrationNumber)}`}>{e.name}</Link>,
          e.title,
          r.status[e.status],
          formatDate(lang, e.validUntil),
        ])}
      />
      {entries.length >= MAX_RESULTS ? <Paragraph>{r.capped(MAX_RESULTS)}</Paragraph> : null}
    </>
  );
}
