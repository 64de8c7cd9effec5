import type { IssuedCredential, CredentialVerification } from '../services/credentials';
import { formatDate, type Language, type Messages } from '../i18n';
import { addDays } from '../domain/dates';
import { todayInAmsterdam } from '../dates';
import { Alert, ButtonLink, DataList, Heading, Link, Paragraph } from './components';
import type { PageResult } from './page';

/*
 * The registration as a digital credential on the pages (issue 18): the dossier's section, the
 * register entry's links, the file both downloads answer, and the verification's outcome in
 * plain words for a hirer. The credential itself is made and checked by shared/services/credentials.ts.
 */

/** The credential's media type (OB 3.0's JWT proof format, VC-JOSE-COSE). */
export const CREDENTIAL_MEDIA_TYPE = 'application/vc+jwt';

/** Where anyone fetches a registered person's current credential: what the QR code holds. */
export const publicCredentialPath = (registrationNumber: string) => `/register/${encodeURIComponent(registrationNumber)}/bewijs`;

/** The download: the compact JWS as it is, named after the registration (`pe-bewijs-PE-4K7Q9M.jwt`). */
export function credentialFile(t: Messages, credential: IssuedCredential): Extract<PageResult, { file: Buffer }> {
  return { file: Buffer.from(credential.jws, 'utf8'), contentType: CREDENTIAL_MEDIA_TYPE, filename: t.credential.filename(credential.registrationNumber) };
}

/** The dossier's section: what the credential is, and its two links while the person is registered. */
export function DossierCredential({ t, registered }: { t: Messages; registered: boolean }) {
  const c = t.credential;
  return (
    <section aria-labelledby="digitaal-bewijs">
      <h2 class="utrecht-heading-2" id="digitaal-bewijs">
        {c.dossierHeading}
      </h2>
      <Paragraph>{c.dossierText}</Paragraph>
      {registered ? (
        <>
          <Paragraph>
            {c.dossierHow} <Link href="/register/verifieer">{c.verifyPageName}</Link>.
          </Paragraph>
          <p class="utrecht-paragraph">
            <ButtonLink href="/dossier/bewijs" secondary>
              {c.download}
            </ButtonLink>
          </p>
          <Paragraph>
            <Link href="/dossier/bewijs/qr">{c.showQr}</Link>
          </Paragraph>
        </>
      ) : (
        <Paragraph>{c.noPeriod}</Paragraph>
      )}
    </section>
  );
}

/** The public register entry's part: the person's credential, and where to check one. */
export function RegisterCredentialLinks({ t, registrationNumber }: { t: Messages; registrationNumber: string }) {
  const c = t.credential;
  return (
    <>
      <Heading level={2}>{c.registerHeading}</Heading>
      <Paragraph>{c.registerText}</Paragraph>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">
          <Link href={publicCredentialPath(registrationNumber)}>{c.registerDownload}</Link>
        </li>
        <li class="utrecht-unordered-list__item">
          <Link href="/register/verifieer">{c.registerCheck}</Link>
        </li>
      </ul>
    </>
  );
}

type Reason = CredentialVerification['reasons'][number];

/** Reasons that say the credential is not the register's own, unchanged: nothing it says counts. */
const NOT_OURS: readonly Reason[] = ['malformed', 'unknown-issuer', 'unknown-key', 'bad-signature'];

/**
 * The day a credential date stands for: the service gives the period's days (`validUntil` the
 * last valid day, inclusive); a date-time (as a VC's own fields are) by its calendar day in Amsterdam.
 */
export function credentialDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : todayInAmsterdam(new Date(value));
}

export type Verdict = 'valid' | 'not-current' | 'revoked' | 'unchecked' | 'false' | 'malformed';

/** The one-line answer first (the order a hirer needs it): not ours at all, withdrawn, not today, not fully checked, valid. */
export function verdictOf(result: CredentialVerification): Verdict {
  const has = (r: Reason) => result.reasons.includes(r);
  if (has('malformed')) return 'malformed';
  if (!result.valid || result.reasons.some((r) => NOT_OURS.includes(r))) return 'false';
  if (result.revoked || has('revoked')) return 'revoked';
  if (has('expired') || has('not-yet-valid')) return 'not-current';
  if (has('status-unavailable')) return 'unchecked';
  return result.current ? 'valid' : 'not-current';
}

export function VerificationResult({ t, lang, result }: { t: Messages; lang: Language; result: CredentialVerification }) {
  const c = t.credential;
  const verdict = verdictOf(result);
  const date = (iso: string) => formatDate(lang, iso);
  const signed = verdict !== 'malformed' && verdict !== 'false';
  const lastDay = result.validUntil ? credentialDay(result.validUntil) : undefined;
  const firstDay = result.validFrom ? credentialDay(result.validFrom) : undefined;
  const subject = signed ? result.subject : undefined;
  const title = {
    valid: c.verdictValid,
    'not-current': c.verdictNotCurrent,
    revoked: c.verdictRevoked,
    unchecked: c.verdictUnchecked,
    false: c.verdictFalse,
    malformed: c.verdictMalformed,
  }[verdict];
  const type = verdict === 'valid' ? 'ok' : verdict === 'unchecked' || verdict === 'not-current' ? 'warning' : 'error';

  let validity: string | undefined;
  if (result.reasons.includes('not-yet-valid') && firstDay) validity = c.notYetValid(date(firstDay));
  else if (result.reasons.includes('expired') && lastDay) validity = c.expired(date(addDays(lastDay, 1)), date(lastDay));
  else if (lastDay) validity = c.validUntil(date(lastDay));
  const withdrawn = result.revoked ? c.withdrawnYes : result.reasons.includes('status-unavailable') ? c.withdrawnUnknown : c.withdrawnNo;

  return (
    <>
      <Alert type={type}>
        <h2 class="utrecht-heading-2" id="uitslag">
          {title}
        </h2>
        <Paragraph>{verdict === 'valid' && subject && lastDay ? c.verdictValidText(subject.name, subject.title, date(lastDay)) : c.verdictNotValidText}</Paragraph>
      </Alert>
      <Heading level={2}>{c.detailsHeading}</Heading>
      <DataList
        items={[
          { key: c.signature, value: signed ? c.signatureOk : c.signatureBad },
          ...(signed && validity ? [{ key: c.validity, value: validity }] : []),
          ...(signed ? [{ key: c.withdrawn, value: withdrawn }] : []),
          ...(subject
            ? [
                { key: c.name, value: subject.name },
                { key: c.registrationNumber, value: subject.registrationNumber },
                { key: c.title, value: subject.title },
              ]
            : []),
        ]}
      />
      {result.reasons.length ? (
        <>
          <Heading level={3}>{c.reasonsHeading}</Heading>
          <ul class="utrecht-unordered-list">
            {result.reasons.map((r) => (
              <li class="utrecht-unordered-list__item" key={r}>
                {c.reasons[r] ?? r}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
