/**
 * The monthly invoice run at 1,000 and 10,000 fees: fixture employers, participants and fees are
 * loaded with BatchWriteItem straight into TABLE_NAME (20 fees per employer, as a collective
 * registration leaves them), then the job runs in-process as `npm run job` would (local mode:
 * the per-employer work in-process, 8 at a time), PDFs, UBL and e-mails included (to the SES
 * emulator). Each size bills its own far-future month and issues in its own year, so the sizes
 * and reruns of the bench never see each other's data.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { capacityTotals, db, enableCapacityMeter, resetCapacity, tableName } from '../shared/data/client';
import { feeItem, newFee } from '../shared/data/fees';
import { newId } from '../shared/ids';
import { runMonthlyInvoices } from '../shared/services/invoicing/monthly-run';

const FEES_PER_EMPLOYER = 20;
const TARIFF = [{ amountCents: 4995, vatRatePercent: 21, validFrom: '2000-01-01', setAt: '', setBy: { role: 'bench', id: 'bench' } }];

async function batchWrite(items: Record<string, unknown>[]) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < chunks.length) {
        let pending: unknown[] | undefined = chunks[next++].map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; pending && pending.length; attempt++) {
          if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
          const res: BatchWriteCommandOutput = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
          pending = res.UnprocessedItems?.[tableName()];
        }
      }
    }),
  );
}

function fixtures(fees: number, month: string, runTag: string) {
  const now = new Date(`${month}-15T10:00:00Z`);
  const items: Record<string, unknown>[] = [];
  const employers = Math.ceil(fees / FEES_PER_EMPLOYER);
  for (let e = 0; e < employers; e++) {
    const employerId = newId('emp');
    items.push({
      pk: `EMPLOYER#${employerId}`, sk: 'PROFILE', type: 'employer', employerId,
      name: `Bench Uitzend ${runTag}-${e} B.V.`, kvkNumber: String(20_000_000 + e), vatNumber: 'NL123456789B01',
      invoiceEmail: `bench-${runTag}-${e}@bench.example.nl`,
      address: { street: 'Benchstraat 1', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' }, createdAt: now.toISOString(),
    });
    for (let i = 0; i < FEES_PER_EMPLOYER && e * FEES_PER_EMPLOYER + i < fees; i++) {
      const participantId = newId('par');
      items.push({
        pk: `PARTICIPANT#${participantId}`, sk: 'PROFILE', type: 'participant', participantId,
        registrationNumber: `PE-B${runTag}${e}X${i}`, initials: 'B.', lastName: `Bench${e}-${i}`, language: 'nl',
      });
      const fee = newFee({
        registrationId: newId('reg'), participantId, kind: 'new', startsOn: `${month}-15`, endsOn: `${Number(month.slice(0, 4)) + 2}${month.slice(4)}-15`,
        payer: { type: 'employer', id: employerId }, tariffs: TARIFF, now,
      });
      items.push(feeItem(fee));
    }
  }
  return { items, employers };
}

export async function benchInvoices(): Promise<object> {
  enableCapacityMeter();
  const runTag = Date.now().toString(36).toUpperCase();
  const sizes = [
    { fees: 1_000, month: '2090-01' },
    { fees: 10_000, month: '2091-01' },
  ];
  const results = [];
  for (const size of sizes) {
    // Unique month per bench invocation, so a second `npm run bench` on the same data folder starts clean.
    const month = `${Number(size.month.slice(0, 4)) + (Date.now() % 997) * 2}${size.month.slice(4)}`;
    const { items, employers } = fixtures(size.fees, month, `${runTag}${size.fees}`);
    await batchWrite(items);
    const asOf = `${month.slice(0, 4)}-02-01`;
    resetCapacity();
    const t0 = performance.now();
    const summary = await runMonthlyInvoices(asOf, { now: () => new Date(`${asOf}T06:00:00Z`), concurrency: 8 });
    const seconds = (performance.now() - t0) / 1000;
    const cap = capacityTotals();
    results.push({
      fees: size.fees,
      employers,
      invoices: summary.invoices,
      emails: summary.sent,
      seconds: Math.round(seconds * 10) / 10,
      rcu: Math.round(cap.read * 10) / 10,
      wcu: Math.round(cap.write * 10) / 10,
      dynamoCalls: cap.calls,
      rcuPerFee: Math.round((cap.read / size.fees) * 100) / 100,
      wcuPerFee: Math.round((cap.write / size.fees) * 100) / 100,
    });
  }
  return {
    note: 'In-process run (local mode), 20 fees per employer, concurrency 8; capacity as DynamoDB Local reports it (no GSI writes).',
    sizes: results,
  };
}
