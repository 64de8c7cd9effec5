import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Heading, Link, Paragraph, type FormError } from '../../shared/web/components';
import { EmailChangeForm } from '../../shared/web/deliverability';
import { EmailChangeRequestSchema } from '../../shared/schemas/deliverability';
import { SessionRequestSchema } from '../../shared/schemas/participants';
import { confirmEmailChange, requestEmailChange } from '../../shared/services/email-change';
import { getParticipant } from '../../shared/data/participants';
import { NotFound, Unauthorized } from '../../shared/domain/errors';
import { mayActFor } from '../../shared/services/access';

/*
 * Issue 16 part 5: a new e-mail address, after confirmation. POST /dossier/e-mailadres (the
 * dossier's form **Nieuw e-mailadres**, signed in as the participant; rate-limited per client and
 * per address named) mails a one-time link to the NEW address; GET /dossier/e-mailadres?token=…
 * (that link) sets it. The link alone is enough and signs nobody in (shared/services/email-change.ts).
 */

function formPage(ctx: PageContext, value: string, errors: FormError[]): PageResult {
  const d = ctx.t.deliverability;
  return {
    title: d.heading,
    status: 400,
    body: (
      <>
        <Heading>{d.heading}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <EmailChangeForm t={ctx.t} csrf={ctx.csrf} value={value} errors={errors} bare />
        <Paragraph>
          <Link href="/dossier">{d.toDossier}</Link>
        </Paragraph>
      </>
    ),
  };
}

async function request(ctx: PageContext): Promise<PageResult> {
  const d = ctx.t.deliverability;
  const value = (ctx.form.email ?? '').trim();
  const checked = checkForm(EmailChangeRequestSchema, { email: value }, ctx.t, { email: d.newEmail });
  if (!checked.ok) return formPage(ctx, value, checked.errors);
  const participant = await getParticipant(ctx.session!.ownerId, true);
  if (!participant) throw new NotFound();
  const outcome = await requestEmailChange(participant, checked.data.email, ctx.lang);
  if (outcome === 'same-address') return formPage(ctx, value, [{ field: 'email', message: d.sameAddress }]);
  return { redirect: '/dossier?e-mailadres=verstuurd' };
}

function usedPage(ctx: PageContext): PageResult {
  const d = ctx.t.deliverability;
  return {
    title: d.usedTitle,
    status: 410,
    headers: { 'referrer-policy': 'no-referrer' },
    body: (
      <>
        <Heading>{d.usedTitle}</Heading>
        <Alert type="warning">
          <Paragraph>{d.usedText}</Paragraph>
        </Alert>
        <Paragraph>
          <Link href="/dossier">{d.toDossier}</Link>
        </Paragraph>
      </>
    ),
  };
}

async function confirm(ctx: PageContext): Promise<PageResult> {
  const d = ctx.t.deliverability;
  const checked = SessionRequestSchema.safeParse({ token: ctx.query.token });
  if (!checked.success) return usedPage(ctx);
  let participantId: string;
  try {
    ({ participantId } = await confirmEmailChange(checked.data.token));
  } catch (err) {
    if (err instanceof Unauthorized) return usedPage(ctx);
    throw err;
  }
  const own = mayActFor(ctx.caller, { role: 'participant', id: participantId }, { admin: false });
  return {
    title: d.confirmedTitle,
    // The spent link's URL (its token) is not handed to anything this page links to.
    headers: { 'referrer-policy': 'no-referrer' },
    body: (
      <>
        <Heading>{d.confirmedTitle}</Heading>
        <Alert type="ok">
          <Paragraph>{d.confirmedText}</Paragraph>
        </Alert>
        <Paragraph>{own ? <Link href="/dossier">{d.toDossier}</Link> : <Link href="/inloggen?next=%2Fdossier">{d.signIn}</Link>}</Paragraph>
      </>
    ),
  };
}

export const handler = pageHandler({
  routes: ['page-email-change-request', 'page-email-change-confirm'],
  handler: async (ctx) => {
    if (ctx.route.method === 'POST') return request(ctx);
    // A HEAD (a link checker's or a mail scanner's probe) must not spend the link.
    if (ctx.event.requestContext?.http?.method === 'HEAD' || ctx.query.token === undefined) return { redirect: '/dossier' };
    return confirm(ctx);
  },
});
