/**
 * Activation timing (issue 12.2): does POST /v1/activations take longer when the diploma number
 * and birth date belong together? 50 matching and 50 non-matching requests over real HTTP to the
 * local stack, interleaved, each on a diploma of its own (so per-identifier rate limits never see
 * a number twice). Non-matching = a real diploma number with the wrong birth date: the question an
 * attacker asks. Matching holders have an address on file, so a match does the heaviest work
 * (token + e-mail).
 *
 * Each request is measured alone: before the next one is sent, the work the previous one queued
 * has finished (the match's e-mail is in the SES store, then a short pause), so the figures are the
 * answers' own times, not the background work of the request before them.
 *
 * For scale, the same matching work run in-process (what the answer used to wait for).
 */
import { importDiplomas } from '../shared/services/diplomas';
import { matchActivation } from '../shared/services/activation';
import { todayInAmsterdam } from '../shared/dates';
import { median, percentile, round } from './lib';

const PER_KIND = 50;
const WARMUP = 5;
const IN_PROCESS = 20;
const BIRTH = '1984-05-05';
const WRONG = '1984-05-06';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchActivation(baseUrl: string, sesUrl: string) {
  const run = Date.now().toString(36).toUpperCase();
  const total = 2 * (WARMUP + PER_KIND) + 2 * IN_PROCESS;
  const rows = Array.from({ length: total }, (_, i) => ({
    diplomaNumber: `BACT${run}${i}`,
    type: 'uitzendprofessional' as const,
    issuedOn: '2021-01-01',
    holder: { initials: 'B.', lastName: `Bench${i}`, birthDate: BIRTH, email: `bench.activation.${run.toLowerCase()}.${i}@example.nl` },
  }));
  for (let i = 0; i < rows.length; i += 1000) await importDiplomas(rows.slice(i, i + 1000), { role: 'admin', id: 'admin' }, todayInAmsterdam());
  let next = 0;
  const fresh = () => rows[next++];

  const mailsTo = async (address: string) => {
    const { emails } = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: { destination: { to: string[] } }[] };
    return emails.filter((m) => m.destination.to.some((t) => t.toLowerCase().includes(address))).length;
  };

  /** One request, timed from send to the last byte of the answer; then waits for its background work. */
  async function once(match: boolean): Promise<number> {
    const row = fresh();
    const body = JSON.stringify({ diplomaNumber: row.diplomaNumber, birthDate: match ? BIRTH : WRONG, email: `asker.${run.toLowerCase()}@example.nl` });
    const t = performance.now();
    const res = await fetch(`${baseUrl}/v1/activations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    const ms = performance.now() - t;
    if (res.status !== 202) throw new Error(`POST /v1/activations answered ${res.status}`);
    if (match) {
      const deadline = Date.now() + 10_000;
      while ((await mailsTo(row.holder.email)) < 1) {
        if (Date.now() > deadline) throw new Error('the activation e-mail of a matching request did not arrive within 10 s');
        await sleep(10);
      }
    }
    await sleep(30);
    return ms;
  }

  for (let i = 0; i < WARMUP; i++) {
    await once(true);
    await once(false);
  }
  const matching: number[] = [];
  const nonMatching: number[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    // Alternate which kind goes first, so neither always follows the other.
    if (i % 2 === 0) {
      matching.push(await once(true));
      nonMatching.push(await once(false));
    } else {
      nonMatching.push(await once(false));
      matching.push(await once(true));
    }
  }

  const inProcess = { match: [] as number[], noMatch: [] as number[] };
  for (let i = 0; i < IN_PROCESS; i++) {
    for (const match of [true, false]) {
      const row = fresh();
      const t = performance.now();
      await matchActivation({ diplomaNumber: row.diplomaNumber, birthDate: match ? BIRTH : WRONG, email: 'asker@example.nl' });
      (match ? inProcess.match : inProcess.noMatch).push(performance.now() - t);
    }
  }

  const m = median(matching);
  const n = median(nonMatching);
  return {
    requestsPerKind: PER_KIND,
    http: {
      matchingMedianMs: round(m, 2),
      nonMatchingMedianMs: round(n, 2),
      differenceMs: round(m - n, 2),
      matchingP90Ms: round(percentile(matching, 90), 2),
      nonMatchingP90Ms: round(percentile(nonMatching, 90), 2),
    },
    matchWorkInProcess: {
      matchMedianMs: round(median(inProcess.match), 2),
      noMatchMedianMs: round(median(inProcess.noMatch), 2),
      differenceMs: round(median(inProcess.match) - median(inProcess.noMatch), 2),
      samplesPerKind: IN_PROCESS,
    },
    target: 'difference of the HTTP medians below 1 ms',
  };
}
