import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Link, Paragraph, RadioGroup, SubmitButton, type FormError } from '../../shared/web/components';
import { TextArea } from '../../shared/web/fields';
import { formatDate } from '../../shared/i18n';
import { getCredit, type Credit } from '../../shared/data/credits';
import { evaluationsOfCredits, type CreditEvaluation } from '../../shared/data/evaluations';
import { displayName } from '../../shared/data/participants';
import { participantFor } from '../../shared/services/participants';
import { evaluateCredit } from '../../shared/services/evaluations';
import { COMMENT_MAX, EvaluationRequestSchema } from '../../shared/schemas/evaluations';
import { CreditParamsSchema } from '../../shared/schemas/credits';
import { validate } from '../../shared/http/validation';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { todayInAmsterdam } from '../../shared/dates';
import { mayActFor } from '../../shared/services/access';

/*
 * /dossier/beoordelen/{creditId} (issue 16 part 3): the participant rates an activity it was
 * credited for — a radio group 1–5 and an optional comment — once; POST gives the rating through
 * the API's service (whose transaction makes two clicks one) and goes back to the dossier with a
 * confirmation. Another participant's credit, an unknown id or no id at all is the 404 page.
 */

type RatedCredit = Credit & { evaluation?: CreditEvaluation };
type Page = Extract<PageResult, { title: string }>;

async function ownCredit(ctx: PageContext): Promise<RatedCredit> {
  const checked = validate(CreditParamsSchema, { creditId: ctx.params.creditId ?? '' });
  if (!checked.ok) throw new NotFound();
  const credit = (await getCredit(checked.data.creditId, true)) as RatedCredit | undefined;
  if (!credit || !mayActFor(ctx.caller, { role: 'participant', id: credit.participantId }, { admin: false })) throw new NotFound();
  return credit;
}

export const handler = pageHandler({
  routes: ['page-dossier-evaluation', 'page-dossier-evaluation-submit'],
  viewer: async (ctx) => ({ name: displayName(await participantFor(ctx.caller, ctx.session!.ownerId)) }),
  handler: async (ctx) => {
    const credit = await ownCredit(ctx);
    if (ctx.route.id === 'page-dossier-evaluation-submit' && !credit.evaluation && !credit.revokedAt) return submit(ctx, credit);
    // Rated already: the participant's own comment with it (its evaluation item, one read).
    const given = credit.evaluation ? (await evaluationsOfCredits([{ ...credit, evaluation: credit.evaluation }]))[0] : undefined;
    return view(ctx, credit, { rating: '', comment: '' }, [], given?.comment);
  },
});

async function submit(ctx: PageContext, credit: RatedCredit): Promise<PageResult> {
  const e = ctx.t.evaluations;
  const values = { rating: ctx.form.rating ?? '', comment: ctx.form.comment ?? '' };
  // The radio group posts "1"…"5"; anything else stays a string, and the schema's integer check names it.
  const input = {
    rating: /^[1-5]$/.test(values.rating) ? Number(values.rating) : values.rating,
    ...(values.comment.trim() ? { comment: values.comment } : {}),
  };
  const checked = checkForm(EvaluationRequestSchema, input, ctx.t, { rating: e.ratingLegend, comment: e.commentLabel });
  if (!checked.ok) return { ...view(ctx, credit, values, checked.errors), status: 400 };
  try {
    await evaluateCredit(ctx.caller!, credit.creditId, checked.data);
  } catch (err) {
    // A second click (or another tab) rated it first: the person has what they asked for.
    if (err instanceof Conflict) return { redirect: `/dossier/beoordelen/${credit.creditId}` };
    throw err;
  }
  return { redirect: '/dossier?beoordeeld=1' };
}

function view(ctx: PageContext, credit: RatedCredit, values: { rating: string; comment: string }, errors: FormError[], givenComment?: string): Page {
  const { t, lang } = ctx;
  const e = t.evaluations;
  const date = (iso: string) => formatDate(lang, iso);
  const back = (
    <Paragraph>
      <Link href="/dossier">{e.cancel}</Link>
    </Paragraph>
  );
  let content;
  if (credit.evaluation) {
    content = (
      <>
        <Paragraph lead>{e.alreadyRated(credit.evaluation.rating, date(todayInAmsterdam(new Date(credit.evaluation.at))))}</Paragraph>
        {givenComment ? <DataList items={[{ key: e.yourComment, value: givenComment }]} /> : null}
      </>
    );
  } else if (credit.revokedAt) {
    content = <Alert type="warning">{e.revoked}</Alert>;
  } else {
    content = (
      <>
        <Paragraph lead>{e.intro(credit.activityTitle, date(credit.completedOn))}</Paragraph>
        <Form action={`/dossier/beoordelen/${credit.creditId}`} csrf={ctx.csrf} label={e.pageTitle}>
          <RadioGroup
            name="rating"
            legend={e.ratingLegend}
            description={e.ratingHint}
            value={values.rating}
            errors={errors}
            options={e.ratingOptions.map((label, i) => ({ value: String(i + 1), label }))}
          />
          <TextArea name="comment" label={e.commentLabel} description={e.commentHint(COMMENT_MAX)} value={values.comment} errors={errors} />
          <SubmitButton>{e.submit}</SubmitButton>
        </Form>
      </>
    );
  }
  return {
    title: e.pageTitle,
    body: (
      <>
        <Heading>{e.pageTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        <DataList
          items={[
            { key: t.dossier.creditColumns[0], value: credit.activityTitle },
            { key: t.dossier.creditColumns[1], value: date(credit.completedOn) },
          ]}
        />
        {content}
        {back}
      </>
    ),
  };
}
