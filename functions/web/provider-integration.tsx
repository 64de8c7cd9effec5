import { Webhook } from 'standardwebhooks';
import { pageHandler, type PageContext } from '../../shared/web/page';
import { Alert, DataList, Form, Heading, Link, Paragraph, SubmitButton, Table } from '../../shared/web/components';
import { CodeBlock } from '../../shared/web/fields';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { getProvider, rotateWebhookSecret } from '../../shared/data/organisations';
import { latestDeliveries, type DeliveryLogEntry } from '../../shared/data/webhook-deliveries';
import { actorOf } from '../../shared/services/access';
import { config } from '../../shared/config';
import { formatDate, type Language, type Messages } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /opleider/koppeling (WEB.md): the completion webhook of this provider — its URL, **Nieuwe
 * sleutel** (POST: the API's rotation, `rotateWebhookSecret`; the new secret is in that one answer
 * only, never stored in the clear and never shown again; the previous one verifies 24 hours
 * more), the last 50 deliveries with their per-item outcomes (the delivery log the webhook writes
 * with each stored answer), and a ready example of a signed request.
 */

/** A made-up secret, for the worked example only: the signature shown is computed with it. */
const EXAMPLE_SECRET = `whsec_${Buffer.from('pe-register-example-secret-32byte').toString('base64')}`;
const EXAMPLE_ID = 'msg_2f1c9e7a-voorbeeld';
const EXAMPLE_AT = new Date('2026-03-14T10:00:00Z');

const webhookUrl = (providerId: string) => `${config.publicBaseUrl.replace(/\/+$/, '')}/v1/webhooks/providers/${providerId}/completions`;

/** Date and time in Amsterdam, in words (`14 maart 2026, 11:00`). */
function moment(lang: Language, iso: string): string {
  const at = new Date(iso);
  const time = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(at);
  return `${formatDate(lang, todayInAmsterdam(at))}, ${time}`;
}

export const handler = pageHandler({
  routes: ['page-provider-integration', 'page-provider-integration-rotate'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    const providerId = ctx.session!.ownerId;
    const p = ctx.t.provider;
    if (ctx.route.method === 'POST') {
      // The API route's rules (rotate-webhook-secret): the provider's own secret, one rotation landing at a time.
      const rotated = await rotateWebhookSecret(providerId, actorOf(ctx.caller));
      if (rotated.kind === 'not-found') throw new NotFound();
      if (rotated.kind === 'concurrent') throw new Conflict(p.rotationConcurrent);
      return {
        title: p.newSecretTitle,
        body: (
          <>
            <Heading>{p.newSecretTitle}</Heading>
            <Alert type="warning">
              <p class="utrecht-paragraph">{p.newSecretOnce}</p>
              <p class="utrecht-paragraph">{p.oldSecretUntil(moment(ctx.lang, rotated.previousValidUntil))}</p>
            </Alert>
            <CodeBlock label={p.newSecretLabel}>{rotated.webhookSecret}</CodeBlock>
            <Paragraph>
              <Link href="/opleider/koppeling">{p.backToIntegration}</Link>
            </Paragraph>
          </>
        ),
      };
    }
    const deliveries = await latestDeliveries(providerId, 50);
    return integrationPage(ctx, providerId, deliveries);
  },
});

function exampleRequest(url: string): { body: string; curl: string; script: string } {
  const body = JSON.stringify({
    completions: [{ externalId: 'inschrijving-10293', activityId: 'act_01JZ8Y5W3M2Q7R9T4V6X8B0C1D', participant: { registrationNumber: 'PE-4K7Q9M' }, completedOn: '2026-03-13' }],
  });
  const signature = new Webhook(EXAMPLE_SECRET).sign(EXAMPLE_ID, EXAMPLE_AT, body);
  const ts = String(Math.floor(EXAMPLE_AT.getTime() / 1000));
  const curl = [
    `curl -X POST '${url}' \\`,
    `  -H 'content-type: application/json' \\`,
    `  -H 'webhook-id: ${EXAMPLE_ID}' \\`,
    `  -H 'webhook-timestamp: ${ts}' \\`,
    `  -H 'webhook-signature: ${signature}' \\`,
    `  --data-raw '${body}'`,
  ].join('\n');
  const script = [
    `SECRET='whsec_...'   # ${'<'}-- your signing secret / uw sleutel`,
    `ID="msg_$(date +%s%N)"; TS=$(date +%s)`,
    `BODY='${body}'`,
    `KEY=$(printf '%s' "\${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \\n')`,
    `SIG=$(printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64)`,
    `curl -X POST '${url}' -H 'content-type: application/json' \\`,
    `  -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: v1,$SIG" --data-raw "$BODY"`,
  ].join('\n');
  return { body, curl, script };
}

function Outcomes({ t, entry }: { t: Messages; entry: DeliveryLogEntry }) {
  const p = t.provider;
  const credited = entry.results.filter((r) => r.status === 'credited').length;
  const duplicate = entry.results.filter((r) => r.status === 'duplicate').length;
  const rejected = entry.results.length - credited - duplicate;
  return (
    <details>
      <summary>{p.deliverySummary(credited, duplicate, rejected)}</summary>
      <ul class="utrecht-unordered-list">
        {entry.results.map((r, i) => (
          <li class="utrecht-unordered-list__item" key={i}>
            {`${r.externalId}: ${r.status === 'credited' ? p.outcomeCreditedShort : r.status === 'duplicate' ? p.outcomeDuplicate : p.reasons[(r.reason ?? 'participant-not-found') as keyof Messages['provider']['reasons']]}`}
          </li>
        ))}
      </ul>
    </details>
  );
}

function integrationPage(ctx: PageContext, providerId: string, deliveries: DeliveryLogEntry[]) {
  const { t, lang } = ctx;
  const p = t.provider;
  const url = webhookUrl(providerId);
  const example = exampleRequest(url);
  return {
    title: p.integrationTitle,
    body: (
      <>
        <Heading>{p.integrationTitle}</Heading>
        <Paragraph lead>{p.integrationLead}</Paragraph>
        <DataList items={[{ key: p.webhookUrl, value: <code class="utrecht-code">{url}</code> }, { key: p.providerId, value: <code class="utrecht-code">{providerId}</code> }]} />

        <Heading level={2}>{p.secretHeading}</Heading>
        <Paragraph>{p.secretExplained}</Paragraph>
        <Form action="/opleider/koppeling" csrf={ctx.csrf} label={p.secretHeading}>
          <SubmitButton>{p.rotateButton}</SubmitButton>
        </Form>

        <Heading level={2}>{p.deliveriesHeading}</Heading>
        {deliveries.length ? (
          <Table
            caption={p.deliveriesCaption}
            headers={p.deliveryColumns}
            rows={deliveries.map((d) => [moment(lang, d.receivedAt), <code class="utrecht-code">{d.webhookId}</code>, String(d.results.length), <Outcomes t={t} entry={d} />])}
          />
        ) : (
          <Paragraph>{p.noDeliveries}</Paragraph>
        )}

        <Heading level={2}>{p.exampleHeading}</Heading>
        <Paragraph>{p.exampleExplained}</Paragraph>
        <Heading level={3}>{p.exampleComputedHeading}</Heading>
        <Paragraph>{p.exampleComputed(EXAMPLE_SECRET)}</Paragraph>
        <CodeBlock label={p.exampleComputedHeading}>{example.curl}</CodeBlock>
        <Heading level={3}>{p.exampleScriptHeading}</Heading>
        <Paragraph>{p.exampleScript}</Paragraph>
        <CodeBlock label={p.exampleScriptHeading}>{example.script}</CodeBlock>
        <Paragraph>
          <Link href="/opleider">{p.backHome}</Link>
        </Paragraph>
      </>
    ),
  };
}
