import type { ComponentChildren } from 'preact';
import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Paragraph, SubmitButton, TextField, type FormError } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { Conflict } from '../../shared/domain/errors';
import { actorOf } from '../../shared/services/access';
import { AddressSchema, PeppolIdSchema, UpdateEmployerRequestSchema, type UpdateEmployerRequest } from '../../shared/schemas/organisations';
import { changeEmployerSettings } from '../../shared/services/employer-settings';
import type { Employer } from '../../shared/data/organisations';
import type { Messages } from '../../shared/i18n';

/*
 * /werkgever/instellingen: the organisation's settings, checked by the schemas of
 * `PATCH /v1/employers/{id}` and written by its service (the same access check, the same
 * optimistic concurrency and audit event). The form sends every field: an empty optional one
 * clears it (merge-patch `null`), the address is replaced whole.
 */

const FIELDS = ['contactEmail', 'invoiceEmail', 'buyerReference', 'peppolScheme', 'peppolValue', 'street', 'postalCode', 'city', 'country'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function valuesOf(e: Employer): Values {
  return {
    contactEmail: e.contactEmail ?? '',
    invoiceEmail: e.invoiceEmail,
    buyerReference: e.buyerReference ?? '',
    peppolScheme: e.peppolId?.scheme ?? '',
    peppolValue: e.peppolId?.value ?? '',
    street: e.address.street,
    postalCode: e.address.postalCode,
    city: e.address.city,
    country: e.address.country,
  };
}

export const handler = pageHandler({
  routes: ['page-employer-settings', 'page-employer-settings-save'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const employer = await sessionEmployer(ctx);
    if (ctx.route.id === 'page-employer-settings-save') return save(ctx, employer);
    return settingsPage(ctx, employer, valuesOf(employer), []);
  },
});

const blank = (v: string) => v.trim() === '';

async function save(ctx: PageContext, employer: Employer): Promise<PageResult> {
  const s = ctx.t.employer;
  const values = Object.fromEntries(FIELDS.map((f) => [f, ctx.form[f] ?? ''])) as Values;
  const errors: FormError[] = [];

  const top = checkForm(
    UpdateEmployerRequestSchema,
    {
      contactEmail: blank(values.contactEmail) ? null : values.contactEmail.trim(),
      invoiceEmail: values.invoiceEmail.trim(),
      buyerReference: blank(values.buyerReference) ? null : values.buyerReference,
    },
    ctx.t,
    { contactEmail: s.contactEmail, invoiceEmail: s.invoiceEmail, buyerReference: s.buyerReference },
  );
  if (!top.ok) errors.push(...top.errors);

  let peppolId: UpdateEmployerRequest['peppolId'] = null;
  if (!blank(values.peppolScheme) || !blank(values.peppolValue)) {
    const checked = checkForm(PeppolIdSchema, { scheme: values.peppolScheme.trim(), value: values.peppolValue.trim() }, ctx.t, { scheme: s.peppolScheme, value: s.peppolValue });
    if (checked.ok) peppolId = checked.data;
    else errors.push(...checked.errors.map((e) => ({ ...e, field: e.field === 'scheme' ? 'peppolScheme' : 'peppolValue' })));
  }

  const address = checkForm(
    AddressSchema,
    { street: values.street, postalCode: values.postalCode, city: values.city, country: values.country.trim().toUpperCase() },
    ctx.t,
    { street: s.street, postalCode: s.postalCode, city: s.city, country: s.country },
  );
  if (!address.ok) errors.push(...address.errors);

  if (errors.length || !top.ok || !address.ok) {
    errors.sort((a, b) => FIELDS.indexOf(a.field as never) - FIELDS.indexOf(b.field as never));
    return { ...settingsPage(ctx, employer, values, errors), status: 400 };
  }
  try {
    await changeEmployerSettings(ctx.caller!, employer.employerId, { ...top.data, peppolId, address: address.data }, actorOf(ctx.caller));
  } catch (err) {
    if (err instanceof Conflict && err.extra.reason === 'concurrent-update') return { ...settingsPage(ctx, employer, values, [], true), status: 409 };
    throw err;
  }
  return { redirect: '/werkgever/instellingen?opgeslagen=1' };
}

function settingsPage(ctx: PageContext, employer: Employer, values: Values, errors: FormError[], concurrent = false): Extract<PageResult, { title: string }> {
  const { t } = ctx;
  const s = t.employer;
  return {
    title: s.settingsTitle,
    body: (
      <>
        <Heading>{s.settingsTitle}</Heading>
        <EmployerNav t={t} current="/werkgever/instellingen" />
        <ErrorSummary t={t} errors={errors} />
        {concurrent ? <Alert type="error">{s.concurrent}</Alert> : null}
        {ctx.query.opgeslagen === '1' && !errors.length && !concurrent ? <Alert type="ok">{s.saved}</Alert> : null}
        <Paragraph>{s.settingsIntro}</Paragraph>
        <DataList
          items={[
            { key: s.organisation, value: employer.name },
            { key: s.kvkNumber, value: employer.kvkNumber },
            ...(employer.debtorNumber ? [{ key: s.debtorNumber, value: employer.debtorNumber }] : []),
          ]}
        />
        <SettingsForm t={t} csrf={ctx.csrf} values={values} errors={errors} />
      </>
    ),
  };
}

function Fieldset({ legend, hint, id, children }: { legend: string; hint?: string; id: string; children: ComponentChildren }) {
  return (
    <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset" aria-describedby={hint ? id : undefined}>
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{legend}</legend>
      {hint ? (
        <p class="utrecht-form-field-description" id={id}>
          {hint}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

function SettingsForm({ t, csrf, values, errors }: { t: Messages; csrf: string; values: Values; errors: FormError[] }) {
  const s = t.employer;
  return (
    <Form action="/werkgever/instellingen" csrf={csrf} label={s.settingsForm}>
      <TextField name="contactEmail" type="email" label={s.contactEmail} description={s.contactEmailHint} value={values.contactEmail} errors={errors} autocomplete="email" />
      <TextField name="invoiceEmail" type="email" label={s.invoiceEmail} value={values.invoiceEmail} errors={errors} autocomplete="email" />
      <TextField name="buyerReference" label={s.buyerReference} description={s.buyerReferenceHint} value={values.buyerReference} errors={errors} />
      <Fieldset legend={s.peppol} hint={s.peppolHint} id="peppol-uitleg">
        <TextField name="peppolScheme" label={s.peppolScheme} description={s.peppolSchemeHint} value={values.peppolScheme} errors={errors} inputMode="numeric" />
        <TextField name="peppolValue" label={s.peppolValue} value={values.peppolValue} errors={errors} />
      </Fieldset>
      <Fieldset legend={s.address} id="adres">
        <TextField name="street" label={s.street} value={values.street} errors={errors} autocomplete="address-line1" />
        <TextField name="postalCode" label={s.postalCode} value={values.postalCode} errors={errors} autocomplete="postal-code" />
        <TextField name="city" label={s.city} value={values.city} errors={errors} autocomplete="address-level2" />
        <TextField name="country" label={s.country} description={s.countryHint} value={values.country} errors={errors} autocomplete="country" />
      </Fieldset>
      <SubmitButton>{s.save}</SubmitButton>
    </Form>
  );
}
