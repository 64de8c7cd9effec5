import { pageHandler, checkForm, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import { sessionCookie } from '../../shared/web/session';
import { ActivationRequestSchema, SessionRequestSchema } from '../../shared/schemas/participants';
import { enqueueActivation } from '../../shared/services/activation';
import { activateWebSession } from '../../shared/services/registrations';
import { TOKEN_VALID_DAYS } from '../../shared/data/tokens';
import { Unauthorized } from '../../shared/domain/errors';

/*
 * /activeren (WEB.md): the activation form → POST → the same confirmation whatever the match (the
 * match is made after the answer, as for POST /v1/activations, whose rate-limit counters this
 * form shares); /activeren?token=… (the link in the activation e-mail) activates, signs the
 * participant in with a web session and shows the dossier.
 */

type Fields = { diplomaNumber?: string; birthDate?: string; email?: string };

/**
 * A birth date as people type it: `YYYY-MM-DD` (what a date field posts, and the API's form), or
 * day-month-year as the Dutch write it (`14-02-1985`, `14/2/1985`, `14.02.1985`) where the
 * browser shows a text field instead. Anything else is passed on as typed, for the schema to refuse.
 */
function birthDateFromForm(value: string): string {
  const typed = value.trim();
  const dmy = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(typed);
  return dmy ? `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}` : typed;
}

function ActivationForm({ ctx, values, errors }: { ctx: PageContext; values: Fields; errors: FormError[] }) {
  const t = ctx.t.activation;
  return (
    <Form action="/activeren" csrf={ctx.csrf}>
      <TextField name="diplomaNumber" label={t.diplomaNumber} description={t.diplomaNumberHint} value={values.diplomaNumber} errors={errors} autocomplete="off" required />
      <TextField name="birthDate" label={t.birthDate} description={t.birthDateHint} value={values.birthDate} errors={errors} type="date" autocomplete="bday" required />
      <TextField name="email" label={t.email} description={t.emailHint} value={values.email} errors={errors} type="email" autocomplete="email" inputMode="email" required />
      <SubmitButton>{t.submit}</SubmitButton>
    </Form>
  );
}

function SignInInstead({ ctx }: { ctx: PageContext }) {
  return (
    <Paragraph>
      {`${ctx.t.activation.alreadyActive} `}
      <Link href="/inloggen">{ctx.t.activation.signInLink}</Link>
    </Paragraph>
  );
}

function formPage(ctx: PageContext, values: Fields, errors: FormError[] = [], status?: number): PageResult {
  const t = ctx.t.activation;
  return {
    title: t.title,
    status,
    body: (
      <>
        <Heading>{t.title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        <Paragraph>{t.intro}</Paragraph>
        <ActivationForm ctx={ctx} values={values} errors={errors} />
        <SignInInstead ctx={ctx} />
      </>
    ),
  };
}

/** The same page for every request, match or none: it shows nothing that was posted. */
function sentPage(ctx: PageContext): PageResult {
  const t = ctx.t.activation;
  return {
    title: t.sentTitle,
    body: (
      <>
        <Heading>{t.sentTitle}</Heading>
        <Alert type="ok">
          <Paragraph>{t.sentText(TOKEN_VALID_DAYS)}</Paragraph>
        </Alert>
        <Paragraph>{t.sentOnFile}</Paragraph>
        <Paragraph>
          {`${t.sentNoMail} `}
          <Link href="/activeren">{t.askAgain}</Link>
        </Paragraph>
      </>
    ),
  };
}

/** A used, expired or unknown link: say so, and offer the form for a new one. */
function usedPage(ctx: PageContext): PageResult {
  const t = ctx.t.activation;
  return {
    title: t.usedTitle,
    status: 410,
    // The failed link's URL (its token) is not handed to anything this page loads or links to.
    headers: { 'referrer-policy': 'no-referrer' },
    body: (
      <>
        <Heading>{t.usedTitle}</Heading>
        <Alert type="warning">
          <Paragraph>{t.usedText}</Paragraph>
        </Alert>
        <ActivationForm ctx={ctx} values={{}} errors={[]} />
        <SignInInstead ctx={ctx} />
      </>
    ),
  };
}

async function land(ctx: PageContext): Promise<PageResult> {
  // A HEAD (a link checker's or a mail scanner's probe) must not spend the link.
  if (ctx.event.requestContext?.http?.method === 'HEAD') return formPage(ctx, {});
  const checked = SessionRequestSchema.safeParse({ token: ctx.query.token });
  if (!checked.success) return usedPage(ctx);
  try {
    const { sessionId } = await activateWebSession(checked.data.token, ctx.today, ctx.session?.idHash);
    return { redirect: '/dossier', cookies: [sessionCookie(sessionId)], headers: { 'referrer-policy': 'no-referrer' } };
  } catch (err) {
    if (err instanceof Unauthorized) return usedPage(ctx);
    throw err;
  }
}

async function request(ctx: PageContext): Promise<PageResult> {
  const typed: Fields = { diplomaNumber: ctx.form.diplomaNumber ?? '', birthDate: ctx.form.birthDate ?? '', email: (ctx.form.email ?? '').trim() };
  const t = ctx.t.activation;
  const checked = checkForm(ActivationRequestSchema, { ...typed, birthDate: birthDateFromForm(typed.birthDate!) }, ctx.t, {
    diplomaNumber: t.diplomaNumber,
    birthDate: t.birthDate,
    email: t.email,
  });
  if (!checked.ok) {
    // A date field shows only YYYY-MM-DD: give it back in that form when it can be read as a date.
    const birthDate = /^\d{4}-\d{2}-\d{2}$/.test(birthDateFromForm(typed.birthDate!)) ? birthDateFromForm(typed.birthDate!) : typed.birthDate;
    return formPage(ctx, { ...typed, birthDate }, checked.errors, 400);
  }
  await enqueueActivation({ ...checked.data, language: ctx.lang });
  return { redirect: '/activeren?verzonden=1' };
}

export const handler = pageHandler({
  routes: ['page-activation', 'page-activation-request'],
  handler: async (ctx) => {
    if (ctx.route.method === 'POST') return request(ctx);
    if (ctx.query.token !== undefined) return land(ctx);
    if (ctx.query.verzonden !== undefined) return sentPage(ctx);
    return formPage(ctx, {});
  },
});
