import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import { getProvider } from '../../shared/data/organisations';
import { getActivity } from '../../shared/data/activities';
import type { ParticipantRef, UnmatchedCompletion } from '../../shared/data/unmatched';
import { correctUnmatched, unmatchedFor } from '../../shared/services/unmatched';
import { givenNumber } from '../../shared/web/unmatched';
import { formatDate, formatPoints, type Messages } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /opleider/onbekend/{id} (issue 16 part 4): one of the provider's completions that found no
 * participant, and the form to give the right **Registratienummer** or **Diplomanummer** — credited
 * through the webhook's crediting under the completion's own externalId (POST → redirect → GET with
 * the outcome; a number that again finds no one, or another refusal, shows the form again).
 * Another provider's id is the 404 page.
 */

interface Values {
  registrationNumber: string;
  diplomaNumber: string;
}

export const handler = pageHandler({
  routes: ['page-provider-unmatched', 'page-provider-unmatched-correct'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    const u = await unmatchedFor(ctx.caller!, ctx.params.unmatchedId ?? '');
    const title = (await getActivity(u.activityId))?.title ?? u.activityId;
    if (ctx.route.method === 'GET') return page(ctx, u, title, { registrationNumber: '', diplomaNumber: '' }, []);
    return correct(ctx, u, title);
  },
});

async function correct(ctx: PageContext, u: UnmatchedCompletion, title: string): Promise<PageResult> {
  const t = ctx.t.unmatched;
  const values: Values = { registrationNumber: (ctx.form.registrationNumber ?? '').trim().toUpperCase(), diplomaNumber: (ctx.form.diplomaNumber ?? '').trim().toUpperCase() };
  const errors: FormError[] = [];
  if (!values.registrationNumber && !values.diplomaNumber) errors.push({ field: 'registrationNumber', message: t.oneOfBoth });
  else if (values.registrationNumber && values.diplomaNumber) errors.push({ field: 'registrationNumber', message: t.notBoth });
  else if ((values.registrationNumber || values.diplomaNumber).length > 32) errors.push({ field: values.registrationNumber ? 'registrationNumber' : 'diplomaNumber', message: ctx.t.errors.invalid(values.registrationNumber ? t.fieldRegistrationNumber : t.fieldDiplomaNumber) });
  if (errors.length) return { ...page(ctx, u, title, values, errors), status: 400 };
  const ref: ParticipantRef = values.registrationNumber ? { registrationNumber: values.registrationNumber } : { diplomaNumber: values.diplomaNumber };
  const result = await correctUnmatched(ctx.caller!, u.unmatchedId, ref, ctx.today);
  if (result.status === 'rejected') {
    const field = values.registrationNumber ? 'registrationNumber' : 'diplomaNumber';
    return { ...page(ctx, u, title, values, [{ field, message: ctx.t.provider.reasons[result.reason!] }]), status: 400 };
  }
  return { redirect: `/opleider/onbekend/${u.unmatchedId}?uitkomst=${result.status}` };
}

function page(ctx: PageContext, u: UnmatchedCompletion, title: string, values: Values, errors: FormError[]): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const m = t.unmatched;
  const resolved = u.status === 'resolved';
  return {
    title: m.unmatchedTitle,
    body: (
      <>
        <Heading>{m.unmatchedTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        <Outcome t={t} lang={lang} query={ctx.query} u={u} />
        <DataList
          items={[
            { key: m.detailActivity, value: title },
            { key: m.detailDate, value: formatDate(lang, u.completedOn) },
            { key: m.detailGiven, value: givenNumber(t, u.participant) },
            { key: m.detailReceived, value: formatDate(lang, todayInAmsterdam(new Date(u.receivedAt))) },
            { key: m.detailExternalId, value: u.externalId },
          ]}
        />
        {resolved ? (
          <Paragraph>{m.resolvedText(formatDate(lang, todayInAmsterdam(new Date(u.resolvedAt!))))}</Paragraph>
        ) : (
          <>
            <Heading level={2}>{m.correctHeading}</Heading>
            <Paragraph>{m.correctHint}</Paragraph>
            <Form action={`/opleider/onbekend/${u.unmatchedId}`} csrf={ctx.csrf} label={m.correctHeading}>
              <TextField name="registrationNumber" label={m.fieldRegistrationNumber} description={m.registrationNumberHint} value={values.registrationNumber} errors={errors} />
              <TextField name="diplomaNumber" label={m.fieldDiplomaNumber} value={values.diplomaNumber} errors={errors} />
              <SubmitButton>{m.correctButton}</SubmitButton>
            </Form>
          </>
        )}
        <Paragraph>
          <Link href="/opleider#onbekend">{m.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}

function Outcome({ t, lang, query, u }: { t: Messages; lang: 'nl' | 'en'; query: Record<string, string>; u: UnmatchedCompletion }) {
  if (u.status !== 'resolved') return null;
  if (query.uitkomst === 'credited') return <Alert type="ok">{t.unmatched.corrected(t.catalogue.points(formatPoints(lang, Number(u.points ?? 0))))}</Alert>;
  if (query.uitkomst === 'duplicate') return <Alert type="info">{t.unmatched.correctedDuplicate}</Alert>;
  return null;
}
