/**
 * Reads: the dossier, the catalogue query and the employer report (1,000 employees), over HTTP
 * against the local stack (p50/p99 of 30 calls each, after 3 warm-ups) and in-process with the
 * capacity meter (RCU per call).
 */
import pMap from 'p-map';
import { linkEmployee } from '../shared/data/employers';
import { capacityTotals, enableCapacityMeter, resetCapacity } from '../shared/data/client';
import { createApiKey, lookupApiKey } from '../shared/data/api-keys';
import { createEmployer, createProvider } from '../shared/data/organisations';
import { importDiplomas } from '../shared/services/diplomas';
import { submitRequest, decide } from '../shared/services/recognition';
import { catalogue } from '../shared/services/catalogue';
import { creditCompletions } from '../shared/services/crediting';
import { dossier } from '../shared/services/participants';
import { employerReport, reportFromProfiles } from '../shared/services/employers/report';
import { getDiplomas, getParticipant } from '../shared/data/participants';
import { addDays } from '../shared/domain/dates';
import { todayInAmsterdam } from '../shared/dates';
import { median, percentile, round } from './lib';

const CALLS = 30;

/** p50/p99 of `CALLS` GETs after 3 warm-ups; `key` as a bearer token, or other `headers` (a session cookie), and the status it must answer. */
export async function timeHttp(url: string, opts: { key?: string; headers?: Record<string, string>; status?: number } = {}) {
  const headers = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
  const once = async () => {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== (opts.status ?? 200)) throw new Error(`${url} answered ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) {
    // A warm-up may meet a keep-alive connection the server closed while the bench did other
    // work (bundling, fresh processes): open a new one, as a browser would, and go on.
    await once().catch((err: { cause?: { code?: string } }) => {
      if (err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
      return once();
    });
  }
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) samples.push(await once());
  return { p50Ms: round(median(samples), 1), p99Ms: round(percentile(samples, 99), 1) };
}

export async function rcuOf(fn: () => Promise<unknown>) {
  enableCapacityMeter();
  resetCapacity();
  await fn();
  const c = capacityTotals();
  return { rcu: round(c.read, 2), calls: c.calls };
}

export async function benchReads(baseUrl: string) {
  const today = todayInAmsterdam();
  const system = { role: 'admin', id: 'admin' };
  const adminKey = (await createApiKey('admin', 'admin')).apiKey;
  const admin = (await lookupApiKey(adminKey))!;

  // Catalogue: 200 public activities over the topics; one provider.
  const p = await createProvider({ name: 'Reads Opleider', kvkNumber: '12345678', contactEmail: 'reads@example.nl' }, system);
  const owner = (await lookupApiKey(p.apiKey))!;
  const acts: string[] = [];
  for (let i = 0; i < 200; i++) {
    const req = await submitRequest(owner, {
      title: `Cursus ${i} ${i % 3 ? 'arbeidsrecht' : 'payrolling'}`, description: 'Voor de bench', learningGoals: ['Lezen'],
      activityType: i % 2 ? 'webinar' : 'training', nature: 'updating', topics: [`T${String((i % 13) + 1).padStart(2, '0')}`],
      netStudyMinutes: 90, completion: { type: 'test', description: 'Toets' }, sessions: [{ startsOn: addDays(today, 10 + (i % 60)), online: true }],
    } as never);
    acts.push(((await decide(admin, req.requestId, { decision: 'approved' }, addDays(today, -200))) as { activityId: string }).activityId);
  }

  // 1,000 employees of one employer, each with a period; one of them with 20 credits.
  const e = await createEmployer({ name: 'Reads Flex', kvkNumber: '87654321', invoiceEmail: 'f@example.nl', address: { street: 'Weg 1', postalCode: '1000 AA', city: 'Utrecht', country: 'NL' } }, system);
  const rows = Array.from({ length: 1000 }, (_, i) => ({
    diplomaNumber: `READS${i}X${Date.now().toString(36).toUpperCase()}`, type: 'uitzendprofessional' as const, issuedOn: addDays(today, -300 - (i % 300)),
    holder: { initials: 'R.', lastName: `Lezer${i}`, birthDate: '1990-01-01' },
  }));
  await importDiplomas(rows, system, today);
  const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
  const ids = rows.map((r) => diplomas.get(r.diplomaNumber)!.participantId as string);
  // Linked the way the register links (each link's transaction writes its report-projection snapshot);
  // a second employer has the first 200 of them, for the report of 200 employees.
  const e200 = await createEmployer({ name: 'Reads Twee', kvkNumber: '87654322', invoiceEmail: 'g@example.nl', address: { street: 'Weg 2', postalCode: '1000 AA', city: 'Utrecht', country: 'NL' } }, system);
  await pMap([...ids.map((pid) => [e.employerId, pid]), ...ids.slice(0, 200).map((pid) => [e200.employerId, pid])], ([emp, pid]) => linkEmployee(emp, pid, system, today), { concurrency: 8 });
  const star = (await getParticipant(ids[0]))!;
  await creditCompletions({ id: p.providerId, role: 'provider' }, acts.slice(0, 20).map((a, i) => ({ externalId: `reads-${i}`, activityId: a, participant: { registrationNumber: star.registrationNumber }, completedOn: addDays(today, -1) })), today);

  const http = {
    dossier: await timeHttp(`${baseUrl}/v1/participants/${star.participantId}`, { key: adminKey }),
    catalogue: await timeHttp(`${baseUrl}/v1/activities?topic=T02&q=arbeidsrecht&from=${today}&limit=50`),
    employerReport: await timeHttp(`${baseUrl}/v1/employers/${e.employerId}/report?limit=200`, { key: adminKey }),
    employerReportCsv: await timeHttp(`${baseUrl}/v1/employers/${e.employerId}/report?format=csv`, { key: adminKey }),
  };
  const capacity = {
    dossier: await rcuOf(() => dossier(star, today, { role: 'admin', ownerId: 'admin' } as never)),
    catalogue: await rcuOf(() => catalogue({ topic: 'T02', q: 'arbeidsrecht', from: today }, today, { limit: 50, next: () => undefined })),
    employerReport: await rcuOf(() => employerReport(e.employerId, today)),
  };
  // Issue 17.5: the report from the projection beside the old read path (profiles + periods), same run.
  const report = {
    projection200: await rcuOf(() => employerReport(e200.employerId, today)),
    oldPath200: await rcuOf(() => reportFromProfiles(e200.employerId, undefined, today)),
    projection1000: await rcuOf(() => employerReport(e.employerId, today)),
    oldPath1000: await rcuOf(() => reportFromProfiles(e.employerId, undefined, today)),
  };
  const [viaProjection, viaProfiles] = await Promise.all([employerReport(e.employerId, today), reportFromProfiles(e.employerId, undefined, today)]);
  if (JSON.stringify(viaProjection) !== JSON.stringify(viaProfiles)) throw new Error('The projection\'s report differs from the one read from the profiles');
  const reportProjection = [
    { employees: 200, path: 'projection (one Query of the link rows)', rcu: report.projection200.rcu, dynamoCalls: report.projection200.calls, target: '≤ 20 RCU for a 200-row page' },
    { employees: 200, path: 'old: link rows + BatchGet profiles + periods', rcu: report.oldPath200.rcu, dynamoCalls: report.oldPath200.calls, target: '(baseline)' },
    { employees: 1000, path: 'projection (one Query of the link rows)', rcu: report.projection1000.rcu, dynamoCalls: report.projection1000.calls, target: '≤ 5 queries' },
    { employees: 1000, path: 'old: link rows + BatchGet profiles + periods', rcu: report.oldPath1000.rcu, dynamoCalls: report.oldPath1000.calls, target: '(baseline)' },
  ];
  console.table(reportProjection);
  return {
    runs: (Object.keys(http) as (keyof typeof http)[]).map((k) => ({
      read: k,
      p50Ms: http[k].p50Ms,
      p99Ms: http[k].p99Ms,
      rcuPerCall: capacity[k as keyof typeof capacity]?.rcu ?? '(as JSON report)',
      dynamoCalls: capacity[k as keyof typeof capacity]?.calls ?? '',
    })),
    reportProjection,
    fixture: { activities: 200, employees: 1000, creditsOnDossier: 20 },
    note: 'Latency over HTTP through the local gateway (30 calls after 3 warm-ups); RCU from the same service call in-process with ReturnConsumedCapacity. The report reads the projection on the employer\'s link rows (one Query; issue 17.5): `reportProjection` compares it with the old path (link rows, then BatchGet of profiles and current periods) in the same run, for 200 and 1,000 employees.',
  };
}
