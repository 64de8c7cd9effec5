/** The one drain of the outbox flows (shared/jobs/drain.ts): concurrency bound, deadline, budget, one tally. */
import { describe, expect, it } from 'vitest';
import { drain, type Flow, type Outcome } from '../../shared/jobs/drain';

/** A flow whose sends resolve when the test says so, recording how many run at once. */
function controlled(outcomeOf: (n: number) => Outcome = () => 'sent') {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const flow: Flow<number> = {
    name: 'test',
    async send(n) {
      started.push(n);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return outcomeOf(n);
    },
  };
  return { flow, started, peak: () => peak };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('drain', () => {
  it('runs at most `concurrency` sends at once and tallies every outcome', async () => {
    const outcomes: Outcome[] = ['sent', 'failed', 'skipped', 'undeliverable'];
    const c = controlled((n) => outcomes[n % 4]);
    const tally = await drain(range(20), c.flow, { concurrency: 3 });
    expect(c.peak()).toBe(3);
    expect(tally).toEqual({ sent: 5, failed: 5, skipped: 5, undeliverable: 5, noAddress: 0, retired: 0, notDue: 0, notStarted: 0 });
  });

  it('starts nothing after the deadline; the rest is notStarted', async () => {
    const c = controlled();
    expect(await drain(range(5), c.flow, { concurrency: 2, stopAt: Date.now() - 1 })).toMatchObject({ sent: 0, notStarted: 5 });
    expect(c.started).toEqual([]);
  });

  it('a throwing send counts failed; stopOnFailure starts nothing after it; not-due items cost nothing', async () => {
    const flow: Flow<number> = {
      name: 'test',
      due: (n) => n !== 0,
      async send(n) {
        if (n === 1) throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
        return 'sent';
      },
    };
    expect(await drain(range(6), flow, { concurrency: 1, stopOnFailure: true })).toMatchObject({ notDue: 1, failed: 1, sent: 0, notStarted: 4 });
  });

  it('max bounds the sends started; a skipped item gives its place back', async () => {
    const c = controlled((n) => (n < 2 ? 'skipped' : 'sent'));
    expect(await drain(range(10), c.flow, { concurrency: 1, max: 3 })).toMatchObject({ skipped: 2, sent: 3, notStarted: 5 });
  });

  it('reads pages one after another and stops reading once out of budget', async () => {
    let pagesRead = 0;
    async function* pages() {
      for (let p = 0; p < 5; p++) {
        pagesRead++;
        yield range(3).map((i) => p * 3 + i);
      }
    }
    const c = controlled();
    expect(await drain(pages(), c.flow, { concurrency: 2 })).toMatchObject({ sent: 15 });
    pagesRead = 0;
    expect(await drain(pages(), controlled().flow, { concurrency: 2, max: 4 })).toMatchObject({ sent: 4, notStarted: 2 });
    expect(pagesRead).toBe(2);
  });
});
