import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Alert, ButtonLink, ErrorSummary, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table, type FormError } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { RequirementList } from '../../shared/web/learning-plans';
import { NotFound } from '../../shared/domain/errors';
import { actorOf } from '../../shared/services/access';
import { validate } from '../../shared/http/validation';
import { AssignLearningPlanRequestSchema, EmployeePlanParamsSchema } from '../../shared/schemas/learning-plans';
import { allLearningPlans, assignLearningPlan } from '../../shared/services/learning-plans';
import { employerReport } from '../../shared/services/employers/report';
import { listTopics } from '../../shared/data/topics';
import type { Employer } from '../../shared/data/organisations';

/*
 * /werkgever/leerlijnen (issue 16 part 2): the employer's learning plans, the form that puts an
 * employee on one (POST /werkgever/leerlijnen/toewijzen, through the API's own service and its
 * checks: another employer's employee or plan is the 404 page), and per employee on a plan what
 * is covered and what is open — the report's rows, so page, API and export agree.
 */
export const handler = pageHandler({
  routes: ['page-learning-plans', 'page-learning-plan-assign'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const employer = await sessionEmployer(ctx);
    if (ctx.route.id === 'page-learning-plan-assign') return assign(ctx, employer);
    return plansPage(ctx, employer, []);
  },
});

async function assign(ctx: PageContext, employer: Employer): Promise<PageResult> {
  const lp = ctx.t.learningPlans;
  const participantId = ctx.form.participantId ?? '';
  const planId = (ctx.form.planId ?? '').trim();
  const errors: FormError[] = [];
  if (!participantId) errors.push({ field: 'participantId', message: ctx.t.errors.required(lp.employee) });
  if (errors.length) return { ...(await plansPage(ctx, employer, errors, { participantId, planId })), status: 400 };
  // Not an id this register hands out, or not a plan code at all: nothing of this employer's.
  const ids = validate(EmployeePlanParamsSchema, { employerId: employer.employerId, participantId });
  const body = validate(AssignLearningPlanRequestSchema, { planId: planId || null });
  if (!ids.ok || !body.ok) throw new NotFound();
  await assignLearningPlan(ctx.caller!, employer.employerId, participantId, body.data.planId, actorOf(ctx.caller));
  return { redirect: '/werkgever/leerlijnen?toegewezen=1' };
}

async function plansPage(
  ctx: PageContext,
  employer: Employer,
  errors: FormError[],
  values: { participantId?: string; planId?: string } = {},
): Promise<Extract<PageResult, { title: string }>> {
  const { t, lang } = ctx;
  const lp = t.learningPlans;
  const [plans, report, topics] = await Promise.all([allLearningPlans(ctx.caller!, employer.employerId), employerReport(employer.employerId, ctx.today), listTopics()]);
  const topicNames = new Map(topics.map((x) => [x.code, x.name]));
  const planNames = new Map(plans.map((p) => [p.planId, p.name]));
  const planned = report.rows.filter((r) => r.plan);
  const countOn = (planId: string) => planned.filter((r) => r.plan!.planId === planId).length;
  const byName = [...report.rows].sort((a, b) => a.name.localeCompare(b.name));
  return {
    title: lp.title,
    body: (
      <>
        <Heading>{lp.title}</Heading>
        <EmployerNav t={t} current="/werkgever/leerlijnen" />
        <ErrorSummary t={t} errors={errors} />
        {ctx.query.opgeslagen === '1' && !errors.length ? <Alert type="ok">{lp.saved}</Alert> : null}
        {ctx.query.toegewezen === '1' && !errors.length ? <Alert type="ok">{lp.assigned}</Alert> : null}
        <Paragraph>{lp.intro}</Paragraph>

        <Heading level={2}>{lp.plansHeading}</Heading>
        {plans.length ? (
          <Table
            caption={lp.plansCaption}
            headers={lp.planColumns}
            rows={plans.map((p) => [
              p.name,
              p.planId,
              p.topicsPerPeriod.length ? p.topicsPerPeriod.join(', ') : t.employer.none,
              p.deadlines.length ? p.deadlines.map((d) => d.topic).join(', ') : t.employer.none,
              String(countOn(p.planId)),
              <Link href={`/werkgever/leerlijnen/plan?id=${encodeURIComponent(p.planId)}`}>{lp.edit(p.name)}</Link>,
            ])}
          />
        ) : (
          <Paragraph>{lp.noPlans}</Paragraph>
        )}
        <Paragraph>
          <ButtonLink href="/werkgever/leerlijnen/plan">{lp.newPlan}</ButtonLink>
        </Paragraph>

        {plans.length ? (
          <>
            <Heading level={2}>{lp.assignHeading}</Heading>
            {byName.length ? (
              <>
                <Paragraph>{lp.assignIntro}</Paragraph>
                <Form action="/werkgever/leerlijnen/toewijzen" csrf={ctx.csrf} label={lp.assignForm}>
                  <SelectField
                    name="participantId"
                    label={lp.employee}
                    value={values.participantId}
                    errors={errors}
                    options={[{ value: '', label: lp.chooseEmployee }, ...byName.map((r) => ({ value: r.participantId, label: `${r.name} (${r.registrationNumber})` }))]}
                  />
                  <SelectField
                    name="planId"
                    label={lp.plan}
                    value={values.planId}
                    errors={errors}
                    options={[...plans.map((p) => ({ value: p.planId, label: p.name })), { value: '', label: lp.noPlanOption }]}
                  />
                  <SubmitButton>{lp.assignButton}</SubmitButton>
                </Form>
              </>
            ) : (
              <Paragraph>{lp.noEmployees}</Paragraph>
            )}
          </>
        ) : null}

        <Heading level={2}>{lp.progressHeading}</Heading>
        {planned.length ? (
          <Table
            caption={lp.progressCaption}
            headers={lp.progressColumns}
            rows={planned.map((r) => [
              <Link href={`/werkgever/medewerkers/${r.participantId}`}>{r.name}</Link>,
              planNames.get(r.plan!.planId) ?? r.plan!.planId,
              <RequirementList t={t} lang={lang} items={r.plan!.open} topicNames={topicNames} empty={lp.nothingOpen} />,
              <RequirementList t={t} lang={lang} items={r.plan!.covered} topicNames={topicNames} empty={lp.nothingCovered} />,
            ])}
          />
        ) : (
          <Paragraph>{lp.noneAssigned}</Paragraph>
        )}
      </>
    ),
  };
}
