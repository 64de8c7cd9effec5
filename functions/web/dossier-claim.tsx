import { sessionParticipant, participantViewer } from '../../shared/web/participant';
import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import type { Participant } from '../../shared/data/participants';
import { fileClaim } from '../../shared/services/unmatched';
import { DateSchema } from '../../shared/schemas/common';
import { BadRequest, Conflict } from '../../shared/domain/errors';

/*
 * /dossier/melden (issue 16 part 4): "Is an activity missing?" — **Activiteit** and **Datum**. A
 * participant finds the activity in the Scholingskalender: its page's address ends in the
 * activity's code (`act_…`), so the field takes the code or the whole address pasted, and the
 * activity page can link here with `?activiteit=`. Filed → the dossier (POST → redirect → GET).
 */

interface Values {
  activityId: string;
  completedOn: string;
}

/** The activity's code in what was typed: the code itself, or an address that ends in it. */
function activityCodeIn(text: string): string | undefined {
  const found = /act_([0-9A-Z]{26})/i.exec(text);
  return found ? `act_${found[1].toUpperCase()}` : undefined;
}

export const handler = pageHandler({
  routes: ['page-dossier-claim', 'page-dossier-claim-create'],
  viewer: participantViewer,
  handler: async (ctx) => {
    const participant = await sessionParticipant(ctx);
    if (ctx.route.method === 'GET') return page(ctx, { activityId: ctx.query.activiteit ?? '', completedOn: '' }, []);
    return file(ctx, participant);
  },
});

async function file(ctx: PageContext, participant: Participant): Promise<PageResult> {
  const m = ctx.t.unmatched;
  const values: Values = { activityId: (ctx.form.activityId ?? '').trim(), completedOn: (ctx.form.completedOn ?? '').trim() };
  const errors: FormError[] = [];
  const activityId = activityCodeIn(values.activityId);
  if (!values.activityId) errors.push({ field: 'activityId', message: ctx.t.errors.required(m.fieldActivity) });
  else if (!activityId) errors.push({ field: 'activityId', message: m.activityNotRecognized });
  if (!values.completedOn) errors.push({ field: 'completedOn', message: ctx.t.errors.required(m.fieldDate) });
  else if (!DateSchema.safeParse(values.completedOn).success) errors.push({ field: 'completedOn', message: ctx.t.errors.invalid(m.fieldDate) });
  else if (values.completedOn > ctx.today) errors.push({ field: 'completedOn', message: m.dateInFuture });
  if (errors.length) return { ...page(ctx, values, errors), status: 400 };
  try {
    await fileClaim(participant.participantId, { activityId: activityId!, completedOn: values.completedOn }, ctx.today);
  } catch (err) {
    if (!(err instanceof Conflict) && !(err instanceof BadRequest)) throw err;
    const reason = err.extra.reason;
    const error: FormError =
      reason === 'not-registered-on-date'
        ? { field: 'completedOn', message: m.notRegistered }
        : reason === 'claim-pending'
          ? { field: 'activityId', message: m.claimPending }
          : err instanceof BadRequest
            ? { field: 'completedOn', message: m.dateInFuture }
            : { field: 'activityId', message: m.activityNotRecognized };
    return { ...page(ctx, values, [error]), status: err instanceof BadRequest ? 400 : 409 };
  }
  return { redirect: '/dossier?gemeld=1' };
}

function page(ctx: PageContext, values: Values, errors: FormError[]): Extract<PageResult, { title: string }> {
  const { t } = ctx;
  const m = t.unmatched;
  return {
    title: m.formTitle,
    body: (
      <>
        <Heading>{m.formTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        <Paragraph lead>{m.formLead}</Paragraph>
        <Paragraph>
          <Link href="/scholingskalender">{m.catalogueLink}</Link>
        </Paragraph>
        <Form action="/dossier/melden" csrf={ctx.csrf} label={m.formTitle}>
          <TextField name="activityId" label={m.fieldActivity} description={m.activityHint} value={values.activityId} errors={errors} />
          <TextField name="completedOn" label={m.fieldDate} description={m.dateHint} type="date" value={values.completedOn} errors={errors} />
          <SubmitButton>{m.submit}</SubmitButton>
        </Form>
        <Paragraph>
          <Link href="/dossier">{m.backToDossier}</Link>
        </Paragraph>
      </>
    ),
  };
}
