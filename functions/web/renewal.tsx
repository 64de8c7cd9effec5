import { sessionParticipant, participantViewer } from '../../shared/web/participant';
import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { DataList, Form, Heading, Link, Paragraph, SubmitButton } from '../../shared/web/components';
import { formatDate, formatMoney, formatPoints, type Messages } from '../../shared/i18n';
import { renew, renewalQuote, type RenewalQuote } from '../../shared/services/registrations';
import { lastValidDay, POINTS_REQUIRED, type RenewalRefusal } from '../../shared/domain/periods';
import { vatOn } from '../../shared/domain/invoice-math';
import { Conflict } from '../../shared/domain/errors';

/*
 * /dossier/verlengen (WEB.md "Verlengen … confirm, then the new period"): GET shows what renewing
 * means — the next period, its price, who pays — or why it is not possible; POST renews through
 * the API's service (whose transaction makes two renewals one) and goes back to the dossier.
 */

export const handler = pageHandler({
  routes: ['page-renewal', 'page-renewal-confirm'],
  viewer: participantViewer,
  handler: async (ctx) => {
    const participant = await sessionParticipant(ctx);
    if (ctx.route.id === 'page-renewal-confirm') {
      try {
        await renew(participant, ctx.caller!, ctx.today);
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        // Refused (or lost a race to a second click): say what holds now, read again.
        const now = await renewalQuote(participant, ctx.caller!, ctx.today);
        // Renewed by the other click (or before): the person has what they asked for.
        if (now.refusal?.reason === 'already-renewed') return { redirect: '/dossier?verlengd=1' };
        return { ...(now.current && !now.refusal ? confirmPage(ctx, now) : refusedPage(ctx.t, ctx.lang, now)), status: 409 };
      }
      return { redirect: '/dossier?verlengd=1' };
    }
    const quote = await renewalQuote(participant, ctx.caller!, ctx.today);
    return quote.current && !quote.refusal ? confirmPage(ctx, quote) : refusedPage(ctx.t, ctx.lang, quote);
  },
});

type Page = Extract<PageResult, { title: string }>;

function confirmPage(ctx: PageContext, quote: Extract<RenewalQuote, { current: object }>): Page {
  const { t, lang } = ctx;
  const r = t.dossier.renewal;
  const date = (iso: string) => formatDate(lang, iso);
  const { next, current, payer, tariff } = quote;
  const price = tariff
    ? r.price(formatMoney(lang, tariff.amountCents / 100), formatMoney(lang, (tariff.amountCents + vatOn(tariff.amountCents, tariff.vatRatePercent)) / 100), formatPoints(lang, tariff.vatRatePercent))
    : r.noTariff;
  return {
    title: r.title,
    body: (
      <>
        <Heading>{r.title}</Heading>
        <Paragraph lead>{r.intro(date(next.startsOn), date(lastValidDay(next.endsOn)))}</Paragraph>
        <DataList
          items={[
            { key: t.dossier.period, value: t.dossier.periodRange(date(next.startsOn), date(lastValidDay(next.endsOn))) },
            { key: t.dossier.pointsHeading, value: t.dossier.pointsOf(formatPoints(lang, current.points), formatPoints(lang, POINTS_REQUIRED)) },
          ]}
        />
        <Paragraph>{r.current(date(lastValidDay(current.endsOn)))}</Paragraph>
        {payer.type === 'employer' ? <Paragraph>{r.payerEmployer}</Paragraph> : <Paragraph>{`${r.payerSelf} ${price}`}</Paragraph>}
        <Heading level={2}>{r.question}</Heading>
        <Form action="/dossier/verlengen" csrf={ctx.csrf} label={r.title}>
          <SubmitButton>{r.confirm}</SubmitButton>
        </Form>
        <Paragraph>
          <Link href="/dossier">{r.cancel}</Link>
        </Paragraph>
      </>
    ),
  };
}

function refusalText(t: Messages, lang: PageContext['lang'], refusal: RenewalRefusal | { reason: 'no-active-period' }, earned: number): string {
  const r = t.dossier.renewal.refusals;
  switch (refusal.reason) {
    case 'points-missing':
      return r.pointsMissing(formatPoints(lang, refusal.pointsMissing ?? POINTS_REQUIRED - earned), formatPoints(lang, earned), formatPoints(lang, POINTS_REQUIRED));
    case 'already-renewed':
      return r.alreadyRenewed;
    case 'not-started':
      return r.notStarted;
    case 'ended':
      return r.ended;
    case 'no-active-period':
      return r.noActivePeriod;
  }
}

function refusedPage(t: Messages, lang: PageContext['lang'], quote: RenewalQuote): Page {
  const r = t.dossier.renewal;
  const refusal = quote.refusal ?? { reason: 'no-active-period' as const };
  // Past its end, renewing is over: activation starts a new period.
  const restart = refusal.reason === 'ended' || refusal.reason === 'no-active-period';
  return {
    title: r.refusedTitle,
    body: (
      <>
        <Heading>{r.refusedTitle}</Heading>
        <Paragraph lead>{refusalText(t, lang, refusal, quote.current?.points ?? 0)}</Paragraph>
        {restart ? (
          <Paragraph>
            <Link href="/activeren">{t.dossier.activateLink}</Link>
          </Paragraph>
        ) : null}
        <Paragraph>
          <Link href="/dossier">{r.back}</Link>
        </Paragraph>
      </>
    ),
  };
}
