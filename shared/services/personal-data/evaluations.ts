import type { PersonalDataHolder } from './holder';
import { queryAll } from '../../data/batch';
import { participantPk } from '../../data/participants';
import { eraseComment, evaluationsOfCredits, type CreditEvaluation } from '../../data/evaluations';
import { CREDIT } from '../../data/keys';

/*
 * The participant's evaluations (issue 16 part 3). An evaluation item names no participant; the
 * way to it is the participant's own credits (gsi1 `PARTICIPANT#<id>`, `CREDIT#…`), each rated
 * one carrying `evaluation.at` and `evaluation.evaluationId`, from which the evaluation's key follows.
 *
 * Erasure removes the comment's text (free text can hold anything about the person) and keeps
 * the rating: a number 1–5 with no one attached, already counted in the activity's aggregate —
 * taking it out would change averages the provider and the catalogue have shown, for no gain in
 * privacy. The credit keeps `evaluation: {rating, at, evaluationId}`, so the person cannot rate again.
 */
async function ratedCredits(participantId: string) {
  const credits = await queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: CREDIT(), attributes: ['creditId', 'activityId', 'activityTitle', 'evaluation'] });
  return credits
    .filter((c) => c.evaluation)
    .map((c) => ({ creditId: c.creditId as string, activityId: c.activityId as string, activityTitle: c.activityTitle as string, evaluation: c.evaluation as CreditEvaluation }));
}

export const holders: PersonalDataHolder[] = [
  {
    name: 'evaluations',
    async export(participantId) {
      const credits = await ratedCredits(participantId);
      const byId = new Map((await evaluationsOfCredits(credits)).map((e) => [e.evaluationId, e]));
      return credits.map((c) => {
        const e = byId.get(c.evaluation.evaluationId);
        return {
          creditId: c.creditId,
          activityId: c.activityId,
          activityTitle: c.activityTitle,
          rating: c.evaluation.rating,
          at: c.evaluation.at,
          ...(e?.comment !== undefined ? { comment: e.comment } : {}),
          ...(e?.commentErasedAt ? { commentErasedAt: e.commentErasedAt } : {}),
        };
      });
    },
    async erase(participantId, ctx) {
      const evaluations = await evaluationsOfCredits(await ratedCredits(participantId));
      for (const e of evaluations) await eraseComment(e, new Date(ctx.erasedAt));
    },
  },
];
