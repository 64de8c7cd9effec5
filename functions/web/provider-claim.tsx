import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, RadioGroup, SubmitButton, type FormError } from '../../shared/web/components';
import { TextArea } from '../../shared/web/fields';
import { getProvider } from '../../shared/data/organisations';
import type { CompletionClaim } from '../../shared/data/completion-claims';
import { claimFor, decideClaim } from '../../shared/services/unmatched';
import { claimStatusText } from '../../shared/web/unmatched';
import { CompletionClaimDecisionRequestSchema } from '../../shared/schemas/unmatched';
import { Conflict } from '../../shared/domain/errors';
import { formatDate } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /opleider/meldingen/{id} (issue 16 part 4): a participant's claim on one of the provider's
 * activities, and **Goedkeuren** / **Afwijzen** (with **Toelichting**, required to reject). An
 * approval credits through the webhook's crediting, once; the page then shows the outcome
 * (POST → redirect → GET). Another provider's claim is the 404 page.
 */

interface Values {
  decision: string;
  reason: string;
}

export const handler = pageHandler({
  routes: ['page-provider-claim', 'page-provider-claim-decide'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    const claim = await claimFor(ctx.caller!, ctx.params.claimId ?? '');
    if (ctx.route.method === 'GET') return page(ctx, claim, { decision: '', reason: '' }, []);
    return decide(ctx, claim);
  },
});

async function decide(ctx: PageContext, claim: CompletionClaim): Promise<PageResult> {
  const m = ctx.t.unmatched;
  const values: Values = { decision: ctx.form.decision ?? '', reason: (ctx.form.reason ?? '').trim() };
  const errors: FormError[] = [];
  if (values.decision !== 'approved' && values.decision !== 'rejected') errors.push({ field: 'decision', message: m.decisionRequired });
  if (values.decision === 'rejected' && !values.reason) errors.push({ field: 'reason', message: m.reasonRequired });
  // The API's own schema for the rest (the reason's length and characters).
  const checked = checkForm(CompletionClaimDecisionRequestSchema, { decision: values.decision, ...(values.reason ? { reason: values.reason } : {}) }, ctx.t, { decision: m.decisionLegend, reason: m.fieldReason });
  if (!errors.length && !checked.ok) errors.push(...checked.errors);
  if (errors.length || !checked.ok) return { ...page(ctx, claim, values, errors), status: 400 };
  try {
    await decideClaim(ctx.caller!, claim.claimId, checked.data, ctx.today);
  } catch (err) {
    // Decided by someone else meanwhile: show it as it is now.
    if (err instanceof Conflict) return { redirect: `/opleider/meldingen/${claim.claimId}?al=1` };
    throw err;
  }
  return { redirect: `/opleider/meldingen/${claim.claimId}?besloten=1` };
}

function page(ctx: PageContext, c: CompletionClaim, values: Values, errors: FormError[]): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const m = t.unmatched;
  return {
    title: m.claimTitle,
    body: (
      <>
        <Heading>{m.claimTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {ctx.query.al === '1' ? <Alert type="warning">{m.decidedAlready}</Alert> : null}
        {ctx.query.besloten === '1' && c.status !== 'pending' ? <Alert type={c.status === 'approved' ? 'ok' : 'info'}>{claimStatusText(t, lang, c)}</Alert> : null}
        <DataList
          items={[
            { key: m.detailName, value: c.name },
            { key: m.detailRegistrationNumber, value: c.registrationNumber },
            { key: m.detailActivity, value: c.activityTitle },
            { key: m.detailDate, value: formatDate(lang, c.completedOn) },
            { key: m.detailRequested, value: formatDate(lang, todayInAmsterdam(new Date(c.requestedAt))) },
            { key: m.detailStatus, value: claimStatusText(t, lang, c) },
          ]}
        />
        {c.status === 'pending' ? (
          <Form action={`/opleider/meldingen/${c.claimId}`} csrf={ctx.csrf} label={m.decisionLegend}>
            <RadioGroup
              name="decision"
              legend={m.decisionLegend}
              description={m.decisionHint}
              value={values.decision}
              errors={errors}
              options={[
                { value: 'approved', label: m.approve },
                { value: 'rejected', label: m.reject },
              ]}
            />
            <TextArea name="reason" label={m.fieldReason} description={m.reasonHint} value={values.reason} errors={errors} rows={3} />
            <SubmitButton>{m.decideButton}</SubmitButton>
          </Form>
        ) : null}
        <Paragraph>
          <Link href="/opleider#onbekend">{m.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}
