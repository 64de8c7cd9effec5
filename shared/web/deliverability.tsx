import { Alert, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from './components';
import { formatDate, type Language, type Messages } from '../i18n';
import { todayInAmsterdam } from '../dates';
import { EMAIL_CHANGE_VALID_HOURS } from '../services/email-change';
import type { Participant } from '../data/participants';

/*
 * Issue 16 part 5 (bounces and complaints) on the shared pages: the dossier's warning and its
 * form **Nieuw e-mailadres**, and the employer overview's list of employees mail does not reach.
 * Everything here reads what the page loaded already (the profile's mark), no read of its own.
 */

/** The dossier's warning while the address on file is undeliverable; the confirmation after a link was asked for. */
export function UndeliverableWarning({ t, lang, participant, query }: { t: Messages; lang: Language; participant: Participant; query: Record<string, string | undefined> }) {
  const d = t.deliverability;
  const mark = participant.emailUndeliverable;
  return (
    <>
      {query['e-mailadres'] === 'verstuurd' ? <Alert type="ok">{d.sent(EMAIL_CHANGE_VALID_HOURS)}</Alert> : null}
      {mark ? (
        <Alert type="warning">
          <Paragraph>
            <strong>{d.warningTitle}</strong>
          </Paragraph>
          <Paragraph>{(mark.reason === 'complaint' ? d.warningComplaint : d.warningBounce)(formatDate(lang, todayInAmsterdam(new Date(mark.at))))}</Paragraph>
          <Paragraph>
            <Link href="#nieuw-e-mailadres">{d.heading}</Link>
          </Paragraph>
        </Alert>
      ) : null}
    </>
  );
}

/** The form **Nieuw e-mailadres** (posts to `/dossier/e-mailadres`): on the dossier under its own heading; bare on its own page after an error. */
export function EmailChangeForm({ t, csrf, value, errors = [], bare }: { t: Messages; csrf: string; value?: string; errors?: FormError[]; bare?: boolean }) {
  const d = t.deliverability;
  const form = (
    <Form action="/dossier/e-mailadres" csrf={csrf} label={d.form}>
      <TextField name="email" label={d.newEmail} description={d.newEmailHint} value={value} errors={errors} type="email" autocomplete="email" inputMode="email" required />
      <SubmitButton>{d.submit}</SubmitButton>
    </Form>
  );
  if (bare) return form;
  return (
    <>
      <h3 class="utrecht-heading-3" id="nieuw-e-mailadres">
        {d.heading}
      </h3>
      {form}
    </>
  );
}

export interface UnreachableEmployee {
  participantId: string;
  name: string;
}

/** The top of `/werkgever`: "N medewerkers zijn niet bereikbaar per e-mail", each name linking to their history. Nothing when none. */
export function UnreachableEmployees({ t, employees }: { t: Messages; employees: UnreachableEmployee[] }) {
  if (!employees.length) return null;
  const d = t.deliverability;
  return (
    <Alert type="warning">
      <Heading level={2}>{d.employerHeading(employees.length)}</Heading>
      <Paragraph>{d.employerText}</Paragraph>
      <ul class="utrecht-unordered-list" aria-label={d.employerList}>
        {employees.map((e) => (
          <li class="utrecht-unordered-list__item" key={e.participantId}>
            <Link href={`/werkgever/medewerkers/${e.participantId}`}>{e.name}</Link>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
