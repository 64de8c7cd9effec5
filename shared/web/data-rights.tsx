import { Alert, ButtonLink, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, TextField, type FormError } from './components';
import type { Messages } from '../i18n';
import type { ErasureMark } from '../data/participants';

/*
 * People's data on the pages (issue 16 part 6): the dossier's "Mijn gegevens downloaden" (a link
 * to `/dossier/gegevens`, which answers the export as a file), and the staff's erasure form on
 * `/beheer/deelnemers/{participantId}`: a reason, then a confirmation step, then the erasure.
 */

/** The dossier's slot: what the download is, and the button. */
export function DownloadMyData({ t }: { t: Messages }) {
  const d = t.dataRights;
  return (
    <section>
      <Heading level={2}>{d.downloadHeading}</Heading>
      <Paragraph>{d.downloadIntro}</Paragraph>
      <Paragraph>
        <ButtonLink href="/dossier/gegevens" secondary>
          {d.download}
        </ButtonLink>
      </Paragraph>
    </section>
  );
}

/** The staff's dossier: the erasure form (first step), or the erasure's state. */
export function ErasureSection(props: { t: Messages; participantId: string; erasure?: ErasureMark; csrf: string; date: (iso: string) => string; reason?: string; errors?: FormError[] }) {
  const d = props.t.dataRights;
  const e = props.erasure;
  if (e?.status === 'erased') {
    return (
      <section>
        <Heading level={2}>{d.staffHeading}</Heading>
        <Alert type="info">{d.erased(props.date((e.erasedAt ?? e.at).slice(0, 10)), e.reason)}</Alert>
      </section>
    );
  }
  return (
    <section>
      <Heading level={2}>{d.staffHeading}</Heading>
      {e?.status === 'in-progress' ? <Alert type="warning">{d.inProgress}</Alert> : null}
      <Paragraph>{d.staffIntro}</Paragraph>
      <Form action={`/beheer/deelnemers/${props.participantId}/verwijderen`} csrf={props.csrf} label={d.staffHeading}>
        <TextField name="reden" label={d.reason} description={d.reasonHint} value={props.reason ?? (e?.status === 'in-progress' ? e.reason : '')} errors={props.errors} required />
        <SubmitButton secondary>{d.next}</SubmitButton>
      </Form>
    </section>
  );
}

/** The confirmation step: what will happen, the reason, and the button that does it. */
export function ErasureConfirmation(props: { t: Messages; participantId: string; name: string; reason: string; csrf: string }) {
  const d = props.t.dataRights;
  return (
    <>
      <Heading>{d.confirmTitle(props.name)}</Heading>
      <Alert type="warning">{d.confirmText}</Alert>
      <Paragraph>{d.staffIntro}</Paragraph>
      <Paragraph>{d.confirmReason(props.reason)}</Paragraph>
      <Form action={`/beheer/deelnemers/${props.participantId}/verwijderen`} csrf={props.csrf} label={d.confirmTitle(props.name)}>
        <input type="hidden" name="reden" value={props.reason} />
        <input type="hidden" name="bevestigd" value="ja" />
        <SubmitButton>{d.confirm}</SubmitButton>
      </Form>
      <Paragraph>
        <Link href={`/beheer/deelnemers/${props.participantId}`}>{d.cancel}</Link>
      </Paragraph>
    </>
  );
}

/** The first step again, on its own page, when the reason is missing or too long. */
export function ErasureReasonPage(props: { t: Messages; participantId: string; name: string; reason: string; csrf: string; errors: FormError[]; date: (iso: string) => string }) {
  return (
    <>
      <Heading>{props.t.dataRights.confirmTitle(props.name)}</Heading>
      <ErrorSummary t={props.t} errors={props.errors} />
      <ErasureSection t={props.t} participantId={props.participantId} csrf={props.csrf} date={props.date} reason={props.reason} errors={props.errors} />
      <Paragraph>
        <Link href={`/beheer/deelnemers/${props.participantId}`}>{props.t.dataRights.cancel}</Link>
      </Paragraph>
    </>
  );
}
