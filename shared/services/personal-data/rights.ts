import { randomBase32 } from '../../ids';
import { getParticipant, type ErasureMark, type Participant } from '../../data/participants';
import { markErased, markErasureStarted, retentionCandidates } from '../../data/personal-data';
import type { Actor } from '../../data/audit';
import { NotFound } from '../../domain/errors';
import { addYears } from '../../domain/dates';
import { logger } from '../../log';
import { personalDataHolders } from './index';
import type { ErasureContext, ErasureCounts, PersonalDataHolder } from './holder';
import { personalValues } from './scrub';

/**
 * People's rights over their data (AVG/GDPR; issue 16 part 6): the export (art. 15/20) and the
 * erasure (art. 17) walk `personalDataHolders`, so a holder added by any part is exported and
 * erased without this file naming it.
 */

export const EXPLANATION = {
  nl:
    'Dit zijn alle gegevens die het PE-register over u bewaart, per onderdeel. Na een verwijdering (op uw verzoek, of 6 jaar nadat uw laatste registratie afliep zonder nieuwe activiteit) vervangen wij uw naam door een pseudoniem en wissen wij uw e-mailadres, geboortedatum, diplomanummer en adres overal, ook in de geschiedenis. Facturen blijven zoals ze zijn uitgereikt: de wet (fiscale bewaarplicht) schrijft voor dat wij die 7 jaar bewaren.',
  en:
    'This is everything the PE register holds about you, per part. After an erasure (at your request, or 6 years after your last registration ended without new activity) your name is replaced by a pseudonym and your e-mail address, birth date, diploma number and address are removed everywhere, history included. Invoices stay as they were issued: Dutch tax law requires us to keep them for 7 years.',
};

/** The retention rule: a participant whose last period ended this many years ago, with no activity since, is pseudonymised. */
export const RETENTION_YEARS = 6;

/** Everything held about the participant: one section per holder, and what is kept why. */
export async function exportPersonalData(participantId: string, now = new Date()) {
  const sections: Record<string, unknown> = {};
  for (const h of personalDataHolders) sections[h.name] = await h.export(participantId);
  const p = await getParticipant(participantId, true);
  return {
    participantId,
    exportedAt: now.toISOString(),
    erasure: p?.erasure ?? null,
    explanation: EXPLANATION,
    kept: Object.fromEntries(personalDataHolders.filter((h) => h.kept).map((h) => [h.name, h.kept])),
    sections,
  };
}

export interface ErasureResult {
  participantId: string;
  status: 'erased';
  /** True when the participant had been erased before this call (nothing was done again). */
  alreadyErased: boolean;
  pseudonym: string;
  reason: string;
  erasedAt: string;
  summary: Record<string, ErasureCounts>;
}

/** The holders in the order they run: the profile (whose values the others scrub for) last. */
const ordered = (): PersonalDataHolder[] => [...personalDataHolders.filter((h) => !h.runsLast), ...personalDataHolders.filter((h) => h.runsLast)];

function addCounts(a: ErasureCounts = {}, b: ErasureCounts): ErasureCounts {
  const out: ErasureCounts = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof ErasureCounts, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

function resultOf(p: Participant, summary: Record<string, ErasureCounts>, alreadyErased: boolean): ErasureResult {
  const e = p.erasure as ErasureMark;
  return { participantId: p.participantId, status: 'erased', alreadyErased, pseudonym: e.pseudonym, reason: e.reason, erasedAt: e.erasedAt ?? e.at, summary };
}

/**
 * Erases a participant's personal data. Too many items for one transaction, so in steps that can
 * each be redone: (1) the profile is marked `in-progress` with its audit event (one transaction;
 * from then on no period starts and no session is issued); (2) every holder runs (each
 * idempotent; the profile last, as the others scrub for the values it still holds); (3) the
 * profile is marked `erased`. A run that dies half-way leaves the mark in progress: the next call
 * — or the retention job, which finds marked profiles first — runs the holders again and finishes
 * it. Concurrent calls run the same idempotent holders and one of them marks it erased. A call on
 * an erased participant changes nothing and answers the same (`alreadyErased`).
 */
/** The retention job's erasure did not start: the participant renewed since the job read it. */
export class ErasureNotDue extends Error {
  override name = 'ErasureNotDue';
}

export async function eraseParticipant(
  participantId: string,
  args: { reason: string; actor: Actor; /** Only when the latest period ended before this date (the retention job). */ endedBefore?: string },
  now = new Date(),
): Promise<ErasureResult> {
  let p = await getParticipant(participantId, true);
  if (!p) throw new NotFound('No participant with this id.');
  if (p.erasure?.status === 'erased') return resultOf(p, {}, true);
  if (!p.erasure) {
    const mark: ErasureMark = {
      status: 'in-progress',
      reason: args.reason,
      by: args.actor.userId ? `${args.actor.role}:${args.actor.userId}` : `${args.actor.role}:${args.actor.id}`,
      at: now.toISOString(),
      pseudonym: `Verwijderd ${randomBase32(4)}`,
    };
    await markErasureStarted(participantId, mark, args.actor, now, args.endedBefore);
    // Re-read: a concurrent call may have marked it first (its pseudonym and reason count).
    p = (await getParticipant(participantId, true)) as Participant;
    if (p.erasure?.status === 'erased') return resultOf(p, {}, true);
    if (!p.erasure) throw new ErasureNotDue('The participant renewed since the retention job read it.');
  }
  const mark = p.erasure as ErasureMark;
  const ctx: ErasureContext = { pseudonym: mark.pseudonym, erasedAt: mark.at, reason: mark.reason, by: mark.by, subject: personalValues(p) };
  const summary: Record<string, ErasureCounts> = {};
  for (const h of ordered()) summary[h.name] = (await h.erase(participantId, ctx)) || {};
  // The credentials once more: a link spent or a token issued while the holders ran is ended too.
  for (const h of personalDataHolders.filter((x) => x.againAfterProfile)) summary[h.name] = addCounts(summary[h.name], (await h.erase(participantId, ctx)) || {});
  await markErased(participantId, summary, args.actor, now);
  const done = (await getParticipant(participantId, true)) as Participant;
  return resultOf(done, summary, false);
}

// ---------------------------------------------------------------- the retention job

/** The first day a period's end must precede for its participant to be pseudonymised as of `asOf`. */
export const retentionCutoff = (asOf: string) => addYears(asOf, -RETENTION_YEARS);

const JOB_ACTOR: Actor = { role: 'system', id: 'retention' };

/**
 * Who the retention job would erase as of `asOf`: profiles in the retention index whose latest
 * period ended before the cutoff, and erasures left in progress. The index entry moves on with
 * every new period (`startPeriodItems`), and a credit needs a period covering its date, so an
 * entry this old means no activity since.
 */
export async function planRetention(asOf: string) {
  const cutoff = retentionCutoff(asOf);
  const candidates = await retentionCandidates(cutoff, 10_000);
  const items = candidates.map((c) => ({ type: c.latestEndsOn === '0000-00-00' ? 'erasure-in-progress' : 'participant', participantId: c.participantId, latestEndsOn: c.latestEndsOn }));
  return { job: 'retention', asOf, cutoff, due: items.length, items };
}

export async function runRetention(asOf: string, opts: { stopAt?: number } = {}) {
  const { cutoff, items } = await planRetention(asOf);
  let erased = 0;
  let skipped = 0;
  let failed = 0;
  let left = 0;
  for (const item of items) {
    if (opts.stopAt && Date.now() > opts.stopAt) {
      left++;
      continue;
    }
    try {
      // Read again: a period may have started since the index was read (its entry then moved on).
      const p = await getParticipant(item.participantId, true);
      if (!p || (!p.erasure && (!p.latestEndsOn || p.latestEndsOn >= cutoff))) {
        skipped++;
        continue;
      }
      await eraseParticipant(item.participantId, {
        reason: p.erasure?.reason ?? `retention: last period ended ${p.latestEndsOn}, more than ${RETENTION_YEARS} years before ${asOf}`,
        actor: JOB_ACTOR,
        // The mark itself checks the lapse again: a period started since the read above keeps them.
        ...(p.erasure ? {} : { endedBefore: cutoff }),
      });
      erased++;
    } catch (err) {
      if (err instanceof ErasureNotDue) {
        skipped++;
        continue;
      }
      failed++;
      logger.error('retention erasure failed', { participantId: item.participantId, error: (err as Error)?.name });
    }
  }
  return { job: 'retention', asOf, cutoff, erased, skipped, failed, left };
}
