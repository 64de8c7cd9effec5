import { checkForm, pageHandler, perRequest, type PageContext, type PageResult } from '../../shared/web/page';
import {
  Alert,
  ButtonLink,
  DataList,
  ErrorSummary,
  Form,
  Heading,
  Link,
  Paragraph,
  PointsProgress,
  SelectField,
  SubmitButton,
  Table,
  TextField,
  type FormError,
} from '../../shared/web/components';
import { formatDate, formatMoney, formatPoints, type Language, type Messages } from '../../shared/i18n';
import { participantDossier, updateParticipant } from '../../shared/services/participants';
import { DUTCH_POSTAL_CODE, InvoiceAddressSchema, UpdateParticipantRequestSchema } from '../../shared/schemas/participants';
import type { InvoiceAddress } from '../../shared/data/participants';
import { actorOf } from '../../shared/services/access';
import { daysBetween } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { ClaimFiledAlert, DossierClaimsSection } from '../../shared/web/unmatched';
import { EmailChangeForm, UndeliverableWarning } from '../../shared/web/deliverability';
import { EvaluationCell, EvaluationConfirmation } from '../../shared/web/evaluations';
import { DownloadMyData } from '../../shared/web/data-rights';
import { DossierCredential } from '../../shared/web/credential';

/*
 * /dossier (WEB.md): the participant's PE dossier, and its settings form (POST /dossier). One
 * read for the header's name and the page: `participantDossier` (two Queries at once; with the
 * session's GetItem, the page's three DynamoDB calls).
 */

type Loaded = Awaited<ReturnType<typeof participantDossier>>;
type Period = NonNullable<Loaded['dossier']['current']>;

/** The dossier of the signed-in participant, read once per request (the header wants its name too). */
const load = perRequest((ctx) => participantDossier(ctx.caller, ctx.session!.ownerId, ctx.today));

/** The settings form's fields, as posted (and shown again after an error). */
interface SettingsValues {
  language: string;
  addressName: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

function valuesOf(data: Loaded): SettingsValues {
  const a = data.participant.invoiceAddress;
  return { language: data.participant.language, addressName: a?.name ?? '', street: a?.street ?? '', postalCode: a?.postalCode ?? '', city: a?.city ?? '', country: a?.country ?? 'NL' };
}

export const handler = pageHandler({
  routes: ['page-dossier', 'page-dossier-settings'],
  viewer: async (ctx) => ({ name: (await load(ctx)).dossier.name }),
  handler: async (ctx) => {
    const data = await load(ctx);
    if (ctx.route.id === 'page-dossier-settings') return save(ctx, data);
    return dossierPage(ctx, data, valuesOf(data), []);
  },
});

/**
 * The settings, checked by the API's own schemas (the language by UpdateParticipantRequest, the
 * address by its InvoiceAddress), written by the API's service with its audit event. All address
 * fields empty removes the address.
 */
async function save(ctx: PageContext, data: Loaded): Promise<PageResult> {
  const t = ctx.t.dossier;
  const f = ctx.form;
  const values: SettingsValues = {
    language: f.language ?? '',
    addressName: f.addressName ?? '',
    street: f.street ?? '',
    postalCode: f.postalCode ?? '',
    city: f.city ?? '',
    country: f.country ?? '',
  };
  const errors: FormError[] = [];
  const language = checkForm(UpdateParticipantRequestSchema, { language: values.language }, ctx.t, { language: t.language });
  if (!language.ok) errors.push(...language.errors);

  let invoiceAddress: InvoiceAddress | null = null;
  if ([values.addressName, values.street, values.postalCode, values.city].some((v) => v.trim() !== '')) {
    const country = values.country.trim().toUpperCase();
    const postalCode = country === 'NL' && DUTCH_POSTAL_CODE.test(values.postalCode.trim()) ? dutchPostalCode(values.postalCode) : values.postalCode;
    const input = { ...(values.addressName.trim() ? { name: values.addressName } : {}), street: values.street, postalCode, city: values.city, country };
    const address = checkForm(InvoiceAddressSchema, input, ctx.t, { name: t.addressName, street: t.street, postalCode: t.postalCode, city: t.city, country: t.country });
    if (address.ok) invoiceAddress = address.data;
    // The form calls the schema's `name` addressName (a field named "name" would be ambiguous on the page).
    else errors.push(...address.errors.map((e) => (e.field === 'name' ? { ...e, field: 'addressName' } : e)));
  }
  if (errors.length || !language.ok) return { ...dossierPage(ctx, data, values, errors), status: 400 };

  await updateParticipant(data.participant, { ...(language.data.language ? { language: language.data.language } : {}), invoiceAddress }, actorOf(ctx.caller));
  return { redirect: '/dossier?opgeslagen=1' };
}

/** `1234ab` → `1234 AB`, as Dutch addresses print it. */
function dutchPostalCode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, 4)} ${compact.slice(4)}`;
}

function dossierPage(ctx: PageContext, data: Loaded, values: SettingsValues, errors: FormError[]): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const d = data.dossier;
  const current = d.current;
  const next = current ? d.registrations.find((r) => r.startsOn === current.endsOn) : undefined;
  const date = (iso: string) => formatDate(lang, iso);
  return {
    title: t.dossier.title,
    body: (
      <>
        <Heading>{t.dossier.title}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {ctx.query.opgeslagen === '1' && !errors.length ? <Alert type="ok">{t.dossier.saved}</Alert> : null}
        {ctx.query.verlengd === '1' && next ? <Alert type="ok">{t.dossier.renewed(date(next.startsOn), date(next.validUntil))}</Alert> : null}
        <UndeliverableWarning t={t} lang={lang} participant={data.participant} query={ctx.query} />
        <EvaluationConfirmation t={t} query={ctx.query} />
        <ClaimFiledAlert t={t} query={ctx.query} />
        <DataList
          items={[
            { key: t.dossier.name, value: d.name },
            { key: t.dossier.registrationNumber, value: d.registrationNumber },
            { key: t.dossier.diplomaTitle, value: d.title ?? t.dossier.noTitle },
            { key: t.dossier.status, value: current ? t.dossier.statuses[current.status] : t.dossier.noPeriodTitle },
          ]}
        />

        <Heading level={2}>{t.dossier.period}</Heading>
        {current ? <PeriodSection t={t} lang={lang} today={ctx.today} current={current} next={next} /> : <NoPeriod t={t} />}
        {/* issue 18: the registration as a credential, while the person is registered today (as the register shows them) */}
        <DossierCredential t={t} registered={current?.status === 'active' || current?.status === 'renewed'} />

        <Heading level={2}>{t.dossier.creditsHeading}</Heading>
        {d.credits.length ? (
          <Table
            caption={t.dossier.creditsCaption}
            headers={[...t.dossier.creditColumns, t.evaluations.column]}
            rows={[...d.credits].reverse().map((c) => [
              c.activityTitle,
              date(c.completedOn),
              formatPoints(lang, c.points),
              c.status === 'revoked' ? (
                <>
                  <strong>{t.dossier.creditRevoked(date(todayInAmsterdam(new Date(c.revokedAt!))))}</strong>
                  {c.revocationReason ? <>. {t.dossier.creditReason(c.revocationReason)}</> : null}
                </>
              ) : (
                t.dossier.creditGranted
              ),
              <EvaluationCell t={t} credit={c} />,
            ])}
          />
        ) : (
          <Paragraph>{t.dossier.noCredits}</Paragraph>
        )}
        {/* issue 16 part 4 (completion claims): "an activity is missing" and the pending claims go here */}
        <DossierClaimsSection t={t} lang={lang} claims={data.claims} />

        <Heading level={2}>{t.dossier.invoicesHeading}</Heading>
        {data.invoices.length ? (
          <Table
            caption={t.dossier.invoicesCaption}
            headers={t.dossier.invoiceColumns}
            rows={data.invoices.map((inv) => [
              inv.invoiceNumber,
              inv.documentType === 'credit-note' ? t.dossier.creditNote : t.dossier.invoice,
              date(inv.issuedOn),
              formatMoney(lang, inv.totalCents / 100),
              <Link href={`/dossier/facturen/${inv.invoiceId}`}>{t.dossier.downloadPdf(inv.invoiceNumber)}</Link>,
            ])}
          />
        ) : (
          <Paragraph>{t.dossier.noInvoices}</Paragraph>
        )}

        <Heading level={2}>{t.dossier.contactHeading}</Heading>
        <Paragraph>
          <strong>{d.email ?? t.dossier.emailNone}</strong>
        </Paragraph>
        <Paragraph>{t.dossier.emailReadOnly}</Paragraph>
        <EmailChangeForm t={t} csrf={ctx.csrf} />

        <Heading level={2}>{t.dossier.settingsHeading}</Heading>
        <SettingsForm t={t} csrf={ctx.csrf} values={values} errors={errors} />
        <DownloadMyData t={t} />
      </>
    ),
  };
}

function PeriodSection({ t, lang, today, current, next }: { t: Messages; lang: Language; today: string; current: Period; next: Period | undefined }) {
  const date = (iso: string) => formatDate(lang, iso);
  const running = current.status === 'active' || current.status === 'renewed';
  return (
    <>
      <Paragraph lead>{t.dossier.validUntil(date(current.validUntil))}</Paragraph>
      <DataList
        items={[
          { key: t.dossier.period, value: t.dossier.periodRange(date(current.startsOn), date(current.validUntil)) },
          ...(running ? [{ key: t.dossier.daysLeftLabel, value: t.dossier.daysLeft(daysBetween(today, current.endsOn)) }] : []),
        ]}
      />
      <Heading level={3}>{t.dossier.pointsHeading}</Heading>
      <PointsProgress lang={lang} earned={current.pointsEarned} required={current.pointsRequired} label={t.dossier.pointsOf(formatPoints(lang, current.pointsEarned), formatPoints(lang, current.pointsRequired))} />
      {current.status === 'active' ? (
        <Paragraph>{current.pointsMissing > 0 ? t.dossier.pointsMissing(formatPoints(lang, current.pointsMissing)) : t.dossier.pointsEnough}</Paragraph>
      ) : null}
      {next ? <Paragraph>{t.dossier.nextPeriod(date(next.startsOn), date(next.validUntil))}</Paragraph> : null}
      {current.renewable ? (
        <>
          <Paragraph>{t.dossier.renewIntro}</Paragraph>
          <p class="utrecht-paragraph">
            <ButtonLink href="/dossier/verlengen">{t.dossier.renew}</ButtonLink>
          </p>
        </>
      ) : null}
      {current.status === 'lapsed' ? (
        <>
          <Paragraph>{t.dossier.lapsedText(date(current.validUntil))}</Paragraph>
          <Paragraph>
            <Link href="/activeren">{t.dossier.activateLink}</Link>
          </Paragraph>
        </>
      ) : null}
      {current.status === 'upcoming' ? <Paragraph>{t.dossier.upcomingText(date(current.startsOn))}</Paragraph> : null}
    </>
  );
}

function NoPeriod({ t }: { t: Messages }) {
  return (
    <>
      <Paragraph lead>{t.dossier.noPeriodTitle}</Paragraph>
      <Paragraph>{t.dossier.noPeriodText}</Paragraph>
      <Paragraph>
        <Link href="/activeren">{t.dossier.activateLink}</Link>
      </Paragraph>
    </>
  );
}

function SettingsForm({ t, csrf, values, errors }: { t: Messages; csrf: string; values: SettingsValues; errors: FormError[] }) {
  return (
    <Form action="/dossier" csrf={csrf} label={t.dossier.settingsForm}>
      <SelectField
        name="language"
        label={t.dossier.language}
        value={values.language}
        errors={errors}
        options={[
          { value: 'nl', label: t.dossier.languages.nl },
          { value: 'en', label: t.dossier.languages.en },
        ]}
      />
      <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset" aria-describedby="adres-uitleg">
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{t.dossier.address}</legend>
        <p class="utrecht-form-field-description" id="adres-uitleg">
          {t.dossier.addressHint}
        </p>
        <TextField name="addressName" label={t.dossier.addressName} value={values.addressName} errors={errors} autocomplete="organization" />
        <TextField name="street" label={t.dossier.street} value={values.street} errors={errors} autocomplete="address-line1" />
        <TextField name="postalCode" label={t.dossier.postalCode} description={t.dossier.postalCodeHint} value={values.postalCode} errors={errors} autocomplete="postal-code" />
        <TextField name="city" label={t.dossier.city} value={values.city} errors={errors} autocomplete="address-level2" />
        <TextField name="country" label={t.dossier.country} description={t.dossier.countryHint} value={values.country} errors={errors} autocomplete="country" />
      </fieldset>
      <SubmitButton>{t.dossier.save}</SubmitButton>
    </Form>
  );
}
