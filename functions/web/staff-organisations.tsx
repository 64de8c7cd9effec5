import { checkForm, pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, DataList, ErrorSummary, Form, Heading, Paragraph, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate } from '../../shared/i18n';
import { actorOf } from '../../shared/services/access';
import { createEmployer, createProvider, issueApiKey, listOrganisations } from '../../shared/data/organisations';
import { listOwnerKeys, revokeApiKey } from '../../shared/data/api-keys';
import { CreateEmployerRequestSchema, CreateProviderRequestSchema } from '../../shared/schemas/organisations';
import { todayInAmsterdam } from '../../shared/dates';
import { inviteUser } from '../../shared/services/users';
import { CreateUserRequestSchema } from '../../shared/schemas/users';
import { Conflict, NotFound } from '../../shared/domain/errors';

/*
 * /beheer/organisaties: providers and employers (one Query each on their listing key, see
 * shared/data/README.md), their API keys (ids and dates; the key itself is never stored), and the
 * forms to admit one (the API's fields, checked by the API's schemas), issue a key or revoke one.
 * A new key (and a new provider's webhook secret) is shown once, in the answer to the post
 * itself: it is never put in a URL or stored to be shown again.
 */

const PROVIDER_FIELDS = { prvName: 'name', prvKvk: 'kvkNumber', prvEmail: 'contactEmail' } as const;
const EMPLOYER_FIELDS = {
  empName: 'name',
  empKvk: 'kvkNumber',
  empVat: 'vatNumber',
  empInvoiceEmail: 'invoiceEmail',
  empContactEmail: 'contactEmail',
  empStreet: 'street',
  empPostalCode: 'postalCode',
  empCity: 'city',
  empCountry: 'country',
} as const;

interface Shown {
  status?: number;
  errors?: FormError[];
  values?: Record<string, string>;
  alert?: { type: 'ok' | 'error'; text: string };
  secret?: { name: string; apiKey: string; keyId: string; webhookSecret?: string };
}

export const handler = pageHandler({
  routes: ['page-staff-organisations', 'page-staff-organisations-action'],
  handler: async (ctx) => {
    if (ctx.route.id !== 'page-staff-organisations-action') {
      const revoked = ctx.query.ingetrokken;
      return show(ctx, revoked && /^key_[0-9A-Za-z]+$/.test(revoked) ? { alert: { type: 'ok', text: ctx.t.staff.organisations.revoked(revoked) } } : {});
    }
    const o = ctx.t.staff.organisations;
    const f = ctx.form;
    const actor = actorOf(ctx.caller);
    switch (f.action) {
      case 'admit-provider': {
        const input = pick(f, PROVIDER_FIELDS);
        const labels = { name: o.name, kvkNumber: o.kvkNumber, contactEmail: o.contactEmail };
        const checked = checkForm(CreateProviderRequestSchema, input, ctx.t, labels);
        if (!checked.ok) return show(ctx, { status: 400, errors: renamed(checked.errors, PROVIDER_FIELDS), values: f });
        const created = await createProvider(checked.data, actor);
        return show(ctx, { alert: { type: 'ok', text: o.admitted(checked.data.name) }, secret: { name: checked.data.name, apiKey: created.apiKey, keyId: created.keyId, webhookSecret: created.webhookSecret } });
      }
      case 'admit-employer': {
        const { street, postalCode, city, country, ...rest } = pick(f, EMPLOYER_FIELDS);
        const input = { ...rest, address: { street, postalCode, city, country: country?.toUpperCase() } };
        const labels = {
          name: o.name, kvkNumber: o.kvkNumber, vatNumber: o.vatNumber, invoiceEmail: o.invoiceEmail, contactEmail: o.contactEmail,
          address: o.street, street: o.street, postalCode: o.postalCode, city: o.city, country: o.country,
        };
        const checked = checkForm(CreateEmployerRequestSchema, input, ctx.t, labels);
        if (!checked.ok) {
          // Address errors name the address as a whole; point them at the field that is wrong.
          const address = checkForm(CreateEmployerRequestSchema.shape.address, input.address, ctx.t, labels);
          const errors = [...checked.errors.filter((e) => e.field !== 'address'), ...(address.ok ? [] : address.errors)];
          return show(ctx, { status: 400, errors: renamed(errors, EMPLOYER_FIELDS), values: f });
        }
        const created = await createEmployer(checked.data, actor);
        return show(ctx, { alert: { type: 'ok', text: o.admitted(checked.data.name) }, secret: { name: checked.data.name, apiKey: created.apiKey, keyId: created.keyId } });
      }
      case 'issue-key': {
        const role = f.kind === 'provider' ? 'provider' : 'employer';
        const issued = f.orgId ? await issueApiKey({ role, id: f.orgId }, actor) : undefined;
        if (!issued) return show(ctx, { status: 404, alert: { type: 'error', text: o.unknownOrganisation } });
        return show(ctx, { secret: { name: f.orgName ?? f.orgId, apiKey: issued.apiKey, keyId: issued.keyId } });
      }
      case 'invite-user': {
        // The organisation's first user (or another): the users service, as POST /v1/{employers|providers}/{id}/users.
        const role = f.kind === 'provider' ? 'provider' : 'employer';
        const labels = { email: o.inviteEmail, name: o.inviteName };
        const invitePrefix = `invite-${f.orgId}-`;
        const input = { email: (f[`${invitePrefix}email`] ?? '').trim(), name: (f[`${invitePrefix}name`] ?? '').trim() };
        const checked = checkForm(CreateUserRequestSchema, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== '')), ctx.t, labels);
        if (!checked.ok) return show(ctx, { status: 400, errors: checked.errors.map((e) => ({ ...e, field: `${invitePrefix}${e.field}` })), values: { [`${invitePrefix}email`]: input.email, [`${invitePrefix}name`]: input.name } });
        try {
          const user = await inviteUser(ctx.caller!, role, f.orgId ?? '', checked.data);
          return show(ctx, { alert: { type: 'ok', text: o.invited(user.email, f.orgName ?? '') } });
        } catch (err) {
          if (err instanceof Conflict) return show(ctx, { status: 409, alert: { type: 'error', text: o.inviteExists } });
          if (err instanceof NotFound) return show(ctx, { status: 404, alert: { type: 'error', text: o.unknownOrganisation } });
          throw err;
        }
      }
      case 'revoke-key': {
        // Only a key of this organisation, so a crafted post cannot revoke anyone else's (the admin's own).
        const keys = f.orgId ? await listOwnerKeys(f.orgId) : [];
        if (!f.keyId || !keys.some((k) => k.keyId === f.keyId) || !(await revokeApiKey(f.keyId))) {
          return show(ctx, { status: 404, alert: { type: 'error', text: o.unknownKey } });
        }
        return { redirect: `/beheer/organisaties?ingetrokken=${encodeURIComponent(f.keyId)}` };
      }
      default:
        return show(ctx, { status: 400, alert: { type: 'error', text: ctx.t.errors.badRequestTitle } });
    }
  },
});

/** The form's fields as the API's names (empty optional fields left out). */
function pick<M extends Record<string, string>>(form: Record<string, string>, map: M): Partial<Record<M[keyof M], string>> {
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(map)) {
    const v = (form[field] ?? '').trim();
    if (v) out[name] = v;
  }
  return out as Partial<Record<M[keyof M], string>>;
}

function renamed(errors: FormError[], map: Record<string, string>): FormError[] {
  const back = Object.fromEntries(Object.entries(map).map(([field, name]) => [name, field]));
  return errors.map((e) => ({ ...e, field: back[e.field] ?? e.field }));
}

async function show(ctx: PageContext, s: Shown): Promise<Extract<PageResult, { title: string }>> {
  const { t, lang } = ctx;
  const o = t.staff.organisations;
  const [providers, employers] = await Promise.all([listOrganisations('provider'), listOrganisations('employer')]);
  const keysOf = new Map(await Promise.all([...providers.map((p) => p.providerId), ...employers.map((e) => e.employerId)].map(async (id) => [id, await listOwnerKeys(id)] as const)));
  const date = (instant: string) => formatDate(lang, todayInAmsterdam(new Date(instant)));
  const errors = s.errors ?? [];
  const v = s.values ?? {};
  const orgRows = (list: { id: string; name: string; kvkNumber: string; email: string; createdAt: string }[], kind: 'provider' | 'employer') =>
    list.map((org) => [
      org.name,
      org.kvkNumber,
      org.email,
      date(org.createdAt),
      <>
        <ul class="utrecht-unordered-list">
          {(keysOf.get(org.id) ?? []).map((k) => (
            <li class="utrecht-unordered-list__item" key={k.keyId}>
              {k.revokedAt ? (
                o.keyRevoked(k.keyId, date(k.revokedAt))
              ) : (
                <Form action="/beheer/organisaties" csrf={ctx.csrf} label={o.revoke(k.keyId)}>
                  {o.keyLive(k.keyId, date(k.createdAt))}{' '}
                  <input type="hidden" name="action" value="revoke-key" />
                  <input type="hidden" name="orgId" value={org.id} />
                  <input type="hidden" name="keyId" value={k.keyId} />
                  <SubmitButton secondary>{o.revoke(k.keyId)}</SubmitButton>
                </Form>
              )}
            </li>
          ))}
        </ul>
        <Form action="/beheer/organisaties" csrf={ctx.csrf} label={o.inviteHeading(org.name)}>
          <input type="hidden" name="action" value="invite-user" />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="orgId" value={org.id} />
          <input type="hidden" name="orgName" value={org.name} />
          <TextField name={`invite-${org.id}-email`} label={o.inviteEmail} type="email" autocomplete="off" value={v[`invite-${org.id}-email`]} errors={errors} />
          <TextField name={`invite-${org.id}-name`} label={o.inviteName} autocomplete="off" value={v[`invite-${org.id}-name`]} errors={errors} />
          <SubmitButton secondary>{o.invite}</SubmitButton>
        </Form>
        <Form action="/beheer/organisaties" csrf={ctx.csrf} label={o.issue(org.name)}>
          <input type="hidden" name="action" value="issue-key" />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="orgId" value={org.id} />
          <input type="hidden" name="orgName" value={org.name} />
          <SubmitButton secondary>{o.issue(org.name)}</SubmitButton>
        </Form>
      </>,
    ]);
  return {
    status: s.status,
    title: o.title,
    body: (
      <>
        <Heading>{o.title}</Heading>
        <StaffNav t={t} current="organisations" />
        <ErrorSummary t={t} errors={errors} />
        {s.alert ? <Alert type={s.alert.type}>{s.alert.text}</Alert> : null}
        {s.secret ? (
          <section aria-labelledby="nieuwe-sleutel">
            <h2 class="utrecht-heading-2" id="nieuwe-sleutel">
              {`${o.newKeyHeading}: ${s.secret.name}`}
            </h2>
            <Alert type="warning">{o.newKeyOnce}</Alert>
            <DataList
              items={[
                { key: o.apiKey, value: <code class="pe-secret">{s.secret.apiKey}</code> },
                { key: 'keyId', value: s.secret.keyId },
                ...(s.secret.webhookSecret ? [{ key: o.webhookSecret, value: <code class="pe-secret">{s.secret.webhookSecret}</code> }] : []),
              ]}
            />
            {s.secret.webhookSecret ? <Paragraph>{o.newSecretOnce}</Paragraph> : null}
          </section>
        ) : null}

        <Heading level={2}>{o.providersHeading}</Heading>
        {providers.length ? (
          <Table caption={o.providersCaption} headers={o.columns} rows={orgRows(providers.map((p) => ({ id: p.providerId, name: p.name, kvkNumber: p.kvkNumber, email: p.contactEmail, createdAt: p.createdAt })), 'provider')} />
        ) : (
          <Paragraph>{o.none}</Paragraph>
        )}
        <Heading level={3}>{o.admitProvider}</Heading>
        <Form action="/beheer/organisaties" csrf={ctx.csrf} label={o.admitProvider}>
          <input type="hidden" name="action" value="admit-provider" />
          <TextField name="prvName" label={o.name} value={v.prvName} errors={errors} />
          <TextField name="prvKvk" label={o.kvkNumber} value={v.prvKvk} errors={errors} description={o.kvkHint} inputMode="numeric" />
          <TextField name="prvEmail" type="email" label={o.contactEmail} value={v.prvEmail} errors={errors} />
          <SubmitButton>{o.submitProvider}</SubmitButton>
        </Form>

        <Heading level={2}>{o.employersHeading}</Heading>
        {employers.length ? (
          <Table caption={o.employersCaption} headers={o.columns} rows={orgRows(employers.map((e) => ({ id: e.employerId, name: e.name, kvkNumber: e.kvkNumber, email: e.invoiceEmail, createdAt: e.createdAt })), 'employer')} />
        ) : (
          <Paragraph>{o.none}</Paragraph>
        )}
        <Heading level={3}>{o.admitEmployer}</Heading>
        <Form action="/beheer/organisaties" csrf={ctx.csrf} label={o.admitEmployer}>
          <input type="hidden" name="action" value="admit-employer" />
          <TextField name="empName" label={o.name} value={v.empName} errors={errors} />
          <TextField name="empKvk" label={o.kvkNumber} value={v.empKvk} errors={errors} description={o.kvkHint} inputMode="numeric" />
          <TextField name="empVat" label={o.vatNumber} value={v.empVat} errors={errors} />
          <TextField name="empInvoiceEmail" type="email" label={o.invoiceEmail} value={v.empInvoiceEmail} errors={errors} />
          <TextField name="empContactEmail" type="email" label={o.hrEmail} value={v.empContactEmail} errors={errors} />
          <TextField name="empStreet" label={o.street} value={v.empStreet} errors={errors} />
          <TextField name="empPostalCode" label={o.postalCode} value={v.empPostalCode} errors={errors} />
          <TextField name="empCity" label={o.city} value={v.empCity} errors={errors} />
          <TextField name="empCountry" label={o.country} value={v.empCountry ?? 'NL'} errors={errors} description={o.countryHint} />
          <SubmitButton>{o.submitEmployer}</SubmitButton>
        </Form>
      </>
    ),
  };
}
