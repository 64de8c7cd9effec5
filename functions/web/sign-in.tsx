import { pageHandler, checkForm, homeOf, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import { sessionCookie } from '../../shared/web/session';
import { SignInRequestSchema } from '../../shared/schemas/participants';
import { enqueueSignIn, safeNext, signInWithLink } from '../../shared/services/sign-in';
import { SIGN_IN_LINK_VALID_MINUTES } from '../../shared/data/sign-in-links';

/*
 * /inloggen (WEB.md): the form with **E-mailadres** → POST → "check your mail", the same for every
 * address (who it belongs to is looked up, and the link mailed, after the answer);
 * /inloggen?token=… (the one-time link from that e-mail) signs in — a new session, the browser's
 * old one ended — and goes to the person's home, or to `next` when that is a path of this site.
 * `next` travels in the form and is kept with the link, never in the mailed URL.
 */

function SignInForm({ ctx, email, next, errors }: { ctx: PageContext; email?: string; next?: string; errors: FormError[] }) {
  const t = ctx.t.signIn;
  return (
    <Form action="/inloggen" csrf={ctx.csrf}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField name="email" label={t.email} description={t.emailHint} value={email} errors={errors} type="email" autocomplete="email" inputMode="email" required />
      <SubmitButton>{t.submit}</SubmitButton>
    </Form>
  );
}

function NoAccount({ ctx }: { ctx: PageContext }) {
  return (
    <Paragraph>
      {`${ctx.t.signIn.noAccount} `}
      <Link href="/activeren">{ctx.t.signIn.activateLink}</Link>
    </Paragraph>
  );
}

function formPage(ctx: PageContext, opts: { email?: string; next?: string; errors?: FormError[]; status?: number } = {}): PageResult {
  const t = ctx.t.signIn;
  const errors = opts.errors ?? [];
  return {
    title: t.title,
    status: opts.status,
    body: (
      <>
        <Heading>{t.title}</Heading>
        <ErrorSummary t={ctx.t} errors={errors} />
        {ctx.query.uitgelogd !== undefined && !ctx.session ? (
          <Alert type="ok">
            <Paragraph>{t.signedOut}</Paragraph>
          </Alert>
        ) : null}
        {ctx.session ? (
          <Alert type="info">
            <Paragraph>
              {`${t.signedIn} `}
              <Link href={homeOf(ctx.session.role)}>{t.toHome}</Link>
            </Paragraph>
          </Alert>
        ) : null}
        <Paragraph>{t.intro}</Paragraph>
        <SignInForm ctx={ctx} email={opts.email} next={opts.next} errors={errors} />
        <NoAccount ctx={ctx} />
      </>
    ),
  };
}

/** The same page for every address, known or not: it shows nothing that was posted. */
function sentPage(ctx: PageContext): PageResult {
  const t = ctx.t.signIn;
  return {
    title: t.sentTitle,
    body: (
      <>
        <Heading>{t.sentTitle}</Heading>
        <Alert type="ok">
          <Paragraph>{t.sentText(SIGN_IN_LINK_VALID_MINUTES)}</Paragraph>
        </Alert>
        <Paragraph>
          {`${t.sentNoMail} `}
          <Link href="/inloggen">{t.askAgain}</Link>
        </Paragraph>
        <NoAccount ctx={ctx} />
      </>
    ),
  };
}

/** A used, expired or unknown link: say so, with the form for a new one. */
function usedPage(ctx: PageContext): PageResult {
  const t = ctx.t.signIn;
  return {
    title: t.usedTitle,
    status: 410,
    // The failed link's URL (its token) is not handed to anything this page loads or links to.
    headers: { 'referrer-policy': 'no-referrer' },
    body: (
      <>
        <Heading>{t.usedTitle}</Heading>
        <Alert type="warning">
          <Paragraph>{t.usedText(SIGN_IN_LINK_VALID_MINUTES)}</Paragraph>
        </Alert>
        <SignInForm ctx={ctx} errors={[]} />
        <NoAccount ctx={ctx} />
      </>
    ),
  };
}

async function land(ctx: PageContext): Promise<PageResult> {
  // A HEAD (a link checker's or a mail scanner's probe) must not spend the link.
  if (ctx.event.requestContext?.http?.method === 'HEAD') return formPage(ctx);
  const signedIn = await signInWithLink(ctx.query.token ?? '', ctx.session?.idHash);
  if (!signedIn) return usedPage(ctx);
  return { redirect: safeNext(signedIn.next) ?? homeOf(signedIn.session.role), cookies: [sessionCookie(signedIn.id)], headers: { 'referrer-policy': 'no-referrer' } };
}

async function request(ctx: PageContext): Promise<PageResult> {
  const email = (ctx.form.email ?? '').trim();
  const next = safeNext(ctx.form.next);
  const checked = checkForm(SignInRequestSchema, { email }, ctx.t, { email: ctx.t.signIn.email });
  if (!checked.ok) return formPage(ctx, { email, next, errors: checked.errors, status: 400 });
  await enqueueSignIn({ email: checked.data.email, language: ctx.lang, next });
  return { redirect: '/inloggen?verzonden=1' };
}

export const handler = pageHandler({
  routes: ['page-sign-in', 'page-sign-in-request'],
  handler: async (ctx) => {
    if (ctx.route.method === 'POST') return request(ctx);
    if (ctx.query.token !== undefined) return land(ctx);
    if (ctx.query.verzonden !== undefined) return sentPage(ctx);
    return formPage(ctx, { next: safeNext(ctx.query.next) });
  },
});
