import type { PlanCoverage, PlanRequirement } from '../domain/learning-plans';
import { lastValidDay } from '../domain/periods';
import { formatDate, type Language, type Messages } from '../i18n';

/*
 * Learning plans on the employer's pages (issue 16 part 2): a requirement in words, and the
 * overview's cell with an employee's open requirements. `before` is exclusive, so the pages name
 * the last day that still counts ("uiterlijk 28 februari 2027"), as the digest does.
 */

export function requirementText(t: Messages, lang: Language, r: PlanRequirement, topicNames: ReadonlyMap<string, string>): string {
  const topic = topicNames.has(r.topic) ? `${r.topic} ${topicNames.get(r.topic)}` : r.topic;
  const lp = t.learningPlans;
  const text = r.kind === 'period' ? lp.periodItem(topic) : lp.deadlineItem(topic, formatDate(lang, lastValidDay(r.before!)), r.reason ?? '');
  return r.completedOn ? lp.coveredItem(text, formatDate(lang, r.completedOn)) : text;
}

export function RequirementList({ t, lang, items, topicNames, empty }: { t: Messages; lang: Language; items: readonly PlanRequirement[]; topicNames: ReadonlyMap<string, string>; empty: string }) {
  if (!items.length) return <>{empty}</>;
  return (
    <ul class="utrecht-unordered-list">
      {items.map((r) => (
        <li class="utrecht-unordered-list__item" key={`${r.kind}#${r.topic}#${r.before ?? ''}`}>
          {requirementText(t, lang, r, topicNames)}
        </li>
      ))}
    </ul>
  );
}

/** The overview's cell: how many requirements are open, and which (topic codes; the names are on /werkgever/leerlijnen). */
export function OpenRequirements({ t, lang, plan }: { t: Messages; lang: Language; plan: PlanCoverage | undefined }) {
  if (!plan) return <>{t.employer.none}</>;
  const lp = t.learningPlans;
  return (
    <>
      {lp.openCount(plan.open.length)}
      {plan.open.length ? (
        <ul class="utrecht-unordered-list">
          {plan.open.map((r) => (
            <li class="utrecht-unordered-list__item" key={`${r.kind}#${r.topic}#${r.before ?? ''}`}>
              {r.kind === 'period' ? lp.periodItem(r.topic) : lp.deadlineItem(r.topic, formatDate(lang, lastValidDay(r.before!)), r.reason ?? '')}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
