import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, Table, type FormError } from '../../shared/web/components';
import { TextArea } from '../../shared/web/fields';
import { StaffNav } from '../../shared/web/staff-nav';
import { formatDate } from '../../shared/i18n';
import { pageRequest } from '../../shared/http/cursor';
import { Conflict, NotFound } from '../../shared/domain/errors';
import { decideActivationClaim, listActivationClaims } from '../../shared/services/activation-claims';
import { ActivationClaimDecisionRequestSchema } from '../../shared/schemas/participants';
import { validate } from '../../shared/http/validation';
import type { ClaimStatus } from '../../shared/data/activation-claims';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /beheer/activeringen: the activation claims (SPEC: Accounts) — the pending ones first, oldest
 * first — each with Goedkeuren / Afwijzen (a reason required to reject), decided by the same
 * service as POST /v1/activation-claims/{id}/decision. Below them the decided ones, per status.
 */

const STATUSES: ClaimStatus[] = ['pending', 'approved', 'rejected'];
const CLAIM_ID = /^clm_[0-9A-Za-z]{1,40}$/;

export const handler = pageHandler({
  routes: ['page-staff-claims', 'page-staff-claim-decision'],
  handler: async (ctx) => (ctx.route.id === 'page-staff-claim-decision' ? post(ctx) : show(ctx, {})),
});

async function post(ctx: PageContext): Promise<PageResult> {
  const c = ctx.t.staff.claims;
  const claimId = ctx.form.claimId ?? '';
  if (!CLAIM_ID.test(claimId)) throw new NotFound('No activation claim with this id.');
  const field = `reason-${claimId}`;
  const reason = (ctx.form[field] ?? '').trim();
  const decision = ctx.form.decision;
  const body = { decision, ...(reason ? { reason } : {}) };
  const errors: FormError[] = [];
  const checked = validate(ActivationClaimDecisionRequestSchema, body);
  if (!checked.ok) errors.push({ field, message: ctx.t.errors.invalid(c.reason) });
  else if (decision === 'rejected' && !reason) errors.push({ field, message: c.reasonRequired });
  if (errors.length) return show(ctx, { status: 400, errors, values: { [field]: ctx.form[field] ?? '' } });
  try {
    const decided = await decideActivationClaim(ctx.caller!, claimId, checked.ok ? checked.data : (body as never));
    const outcome = decided.status === 'rejected' ? 'rejected' : decided.notified ? 'approved' : 'approved-unsent';
    return { redirect: `/beheer/activeringen?besloten=${outcome}` };
  } catch (err) {
    if (err instanceof Conflict) {
      const extra = err.extra as { reason?: string; currentStatus?: ClaimStatus };
      const alert = extra.reason === 'participant-missing' ? c.missing : c.already(extra.currentStatus ? c.statuses[extra.currentStatus] : '-');
      return show(ctx, { status: 409, alert });
    }
    throw err;
  }
}

async function show(ctx: PageContext, opts: { status?: number; errors?: FormError[]; values?: Record<string, string>; alert?: string }): Promise<Extract<PageResult, { title: string }>> {
  const { t, lang } = ctx;
  const c = t.staff.claims;
  const status: ClaimStatus = STATUSES.includes(ctx.query.status as ClaimStatus) ? (ctx.query.status as ClaimStatus) : 'pending';
  const query = { status, ...(ctx.query.cursor && ctx.route.method === 'GET' ? { cursor: ctx.query.cursor } : {}), limit: 50 };
  const list = await listActivationClaims(status, await pageRequest('page-staff-claims', { caller: ctx.caller, query }));
  const date = (instant: string) => formatDate(lang, todayInAmsterdam(new Date(instant)));
  const errors = opts.errors ?? [];
  const done = ctx.query.besloten;
  const doneText = done === 'approved' ? c.approved : done === 'approved-unsent' ? c.approvedNotSent : done === 'rejected' ? c.rejected : undefined;
  return {
    status: opts.status,
    title: c.title,
    body: (
      <>
        <Heading>{c.title}</Heading>
        <StaffNav t={t} current="claims" />
        <ErrorSummary t={t} errors={errors} />
        {opts.alert ? <Alert type="error">{opts.alert}</Alert> : null}
        {doneText && !opts.alert && !errors.length ? <Alert type="ok">{doneText}</Alert> : null}
        <Paragraph>{c.intro}</Paragraph>
        <Paragraph>
          {STATUSES.map((s, i) => (
            <>
              {i ? ' · ' : ''}
              {s === status ? <strong>{c.statuses[s]}</strong> : <Link href={`/beheer/activeringen?status=${s}`}>{c.statuses[s]}</Link>}
            </>
          ))}
        </Paragraph>
        <Heading level={2}>{status === 'pending' ? c.pendingHeading : c.decidedHeading(c.statuses[status])}</Heading>
        {list.items.length ? (
          <Table
            caption={c.caption}
            headers={status === 'pending' ? c.columns : c.decidedColumns}
            rows={list.items.map((claim) =>
              status === 'pending'
                ? [
                    date(claim.requestedAt),
                    claim.name,
                    claim.diplomaNumber,
                    claim.email,
                    <Form action="/beheer/activeringen" csrf={ctx.csrf} label={c.formFor(claim.name)}>
                      <input type="hidden" name="claimId" value={claim.claimId} />
                      <TextArea name={`reason-${claim.claimId}`} label={c.reasonFor(claim.name)} rows={2} value={opts.values?.[`reason-${claim.claimId}`]} errors={errors} />
                      <button type="submit" name="decision" value="approved" class="utrecht-button utrecht-button--primary-action">
                        {c.approve}
                      </button>{' '}
                      <button type="submit" name="decision" value="rejected" class="utrecht-button utrecht-button--secondary-action">
                        {c.reject}
                      </button>
                    </Form>,
                  ]
                : [claim.decidedAt ? date(claim.decidedAt) : '', claim.name, claim.diplomaNumber, claim.email, claim.reason ?? ''],
            )}
          />
        ) : (
          <Paragraph>{status === 'pending' ? c.none : c.noneDecided}</Paragraph>
        )}
        {list.nextCursor ? (
          <Paragraph>
            <Link href={`/beheer/activeringen?${new URLSearchParams({ status, cursor: list.nextCursor })}`}>{c.nextPage}</Link>
          </Paragraph>
        ) : null}
      </>
    ),
  };
}
