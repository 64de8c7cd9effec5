import { Alert, Heading, Link, Paragraph, Table } from './components';
import { formatDate, formatPoints, type Language, type Messages } from '../i18n';
import { todayInAmsterdam } from '../dates';
import type { Caller } from '../services/access';
import type { ParticipantRef } from '../data/unmatched';
import type { CompletionClaim } from '../data/completion-claims';
import { listClaims, listUnmatched, type ClaimView } from '../services/unmatched';

/*
 * Issue 16 part 4 on the shared pages: the provider's inbox on /opleider (completions that found
 * no one, and participants' claims waiting for a decision), and the dossier's "Is an activity
 * missing?" with the participant's own claims.
 */

/** What /opleider shows at most of each (the first page; the API pages further). */
const INBOX_LIMIT = 50;

export async function loadProviderInbox(caller: Caller) {
  const none = { limit: INBOX_LIMIT, next: () => undefined };
  const [unmatched, claims] = await Promise.all([listUnmatched(caller.ownerId, none), listClaims(caller.ownerId, 'pending', none)]);
  return { unmatched: unmatched.items, claims: claims.items };
}
export type ProviderInbox = Awaited<ReturnType<typeof loadProviderInbox>>;

export function givenNumber(t: Messages, ref: ParticipantRef | null | undefined): string {
  if (!ref) return t.unmatched.givenErased;
  return 'registrationNumber' in ref ? t.unmatched.givenRegistrationNumber(ref.registrationNumber) : t.unmatched.givenDiplomaNumber(ref.diplomaNumber);
}

const numberOnly = (ref: ParticipantRef | null | undefined) => (!ref ? '' : 'registrationNumber' in ref ? ref.registrationNumber : ref.diplomaNumber);

/** The provider's inbox, one element at /opleider's slot. `titles`: its activities' titles by id. */
export function ProviderInboxSection({ t, lang, inbox, titles }: { t: Messages; lang: Language; inbox: ProviderInbox; titles: Map<string, string> }) {
  const u = t.unmatched;
  const date = (iso: string) => formatDate(lang, iso);
  const day = (instant: string) => formatDate(lang, todayInAmsterdam(new Date(instant)));
  const title = (id: string) => titles.get(id) ?? id;
  const openKeys = new Set(inbox.unmatched.map((x) => `${x.activityId}#${x.completedOn}`));
  return (
    <section id="onbekend" aria-labelledby="onbekend-kop">
      <Heading level={2}>
        <span id="onbekend-kop">{u.unmatchedHeading}</span>
      </Heading>
      <Paragraph>{u.unmatchedLead}</Paragraph>
      {inbox.unmatched.length ? (
        <Table
          caption={u.unmatchedCaption}
          headers={u.unmatchedColumns}
          rows={inbox.unmatched.map((x) => [
            title(x.activityId),
            date(x.completedOn),
            givenNumber(t, x.participant),
            day(x.receivedAt),
            <Link href={`/opleider/onbekend/${x.unmatchedId}`}>{u.correctLink(numberOnly(x.participant) || x.externalId)}</Link>,
          ])}
        />
      ) : (
        <Paragraph>{u.noUnmatched}</Paragraph>
      )}
      <Heading level={2}>{u.claimsHeading}</Heading>
      <Paragraph>{u.claimsLead}</Paragraph>
      {inbox.claims.length ? (
        <Table
          caption={u.claimsCaption}
          headers={u.claimsColumns}
          rows={inbox.claims.map((c) => [
            c.name,
            c.registrationNumber,
            c.activityTitle,
            <>
              {date(c.completedOn)}
              {openKeys.has(`${c.activityId}#${c.completedOn}`) ? <> ({u.alsoUnmatched})</> : null}
            </>,
            <Link href={`/opleider/meldingen/${c.claimId}`}>{u.reviewLink(c.name)}</Link>,
          ])}
        />
      ) : (
        <Paragraph>{u.noClaims}</Paragraph>
      )}
    </section>
  );
}

/** A claim's state in words (the dossier, the decider's page). */
export function claimStatusText(t: Messages, lang: Language, c: Pick<ClaimView, 'status' | 'reason' | 'result'>): string {
  const u = t.unmatched;
  if (c.status === 'pending') return u.statuses.pending;
  if (c.status === 'rejected') return c.reason ? u.rejectedWith(c.reason) : u.statuses.rejected;
  const r = c.result;
  if (r && (r.status === 'credited' || r.status === 'duplicate')) return u.approvedCredited(t.catalogue.points(formatPoints(lang, r.points ?? 0)));
  if (r?.status === 'rejected' && r.reason) return u.approvedNotCredited(t.provider.reasons[r.reason as keyof Messages['provider']['reasons']] ?? r.reason);
  return u.statuses.approved;
}

/** The dossier's confirmation after a claim was filed (POST → redirect → GET `?gemeld=1`). */
export function ClaimFiledAlert({ t, query }: { t: Messages; query: Record<string, string> }) {
  return query.gemeld === '1' ? <Alert type="ok">{t.unmatched.claimFiled}</Alert> : null;
}

/** The dossier's "Is an activity missing?" with the participant's claims, newest first. */
export function DossierClaimsSection({ t, lang, claims }: { t: Messages; lang: Language; claims: CompletionClaim[] }) {
  const u = t.unmatched;
  const sorted = [...claims].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  return (
    <section aria-labelledby="melden-kop">
      <Heading level={3}>
        <span id="melden-kop">{u.missingHeading}</span>
      </Heading>
      <Paragraph>{u.missingText}</Paragraph>
      <Paragraph>
        <Link href="/dossier/melden">{u.missingLink}</Link>
      </Paragraph>
      {sorted.length ? (
        <Table
          caption={u.myClaimsCaption}
          headers={u.myClaimsColumns}
          rows={sorted.map((c) => [c.activityTitle, formatDate(lang, c.completedOn), claimStatusText(t, lang, c)])}
        />
      ) : null}
    </section>
  );
}
