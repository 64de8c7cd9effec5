/**
 * Employers over real HTTP against `npm start`: a Dutch Excel CSV upload of a collective
 * registration (with a retry), the activation e-mails, and the report as CSV, Excel and JSON.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mailsTo, repoRoot, holdLock, sharedStack, type Stack } from './helpers';

const run = Date.now().toString(36).toUpperCase();

describe('employers over HTTP', () => {
  let stack: Stack;
  let release: (() => void) | undefined;
  let employer: { employerId: string; apiKey: string };
  let other: { employerId: string; apiKey: string };
  const holders = Array.from({ length: 12 }, (_, i) => ({
    diplomaNumber: `E2E${run}${i}`,
    birthDate: '1985-03-15',
    email: `e2e.${run}.${i}@example.nl`,
    lastName: i === 0 ? 'Çelik' : `Jansen${i}`,
  }));

  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    stack = sharedStack();
    // Counts what its job run does to the whole table: no other file may add to it meanwhile.
    release = await holdLock(stack, 'activation-mails');
    const admit = async (name: string) => {
      const res = await api('/v1/employers', {
        key: stack.adminKey,
        ...json({ name, kvkNumber: '12345678', invoiceEmail: 'facturen@example.nl', address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { employerId: string; apiKey: string };
    };
    [employer, other] = [await admit('Uitzendbureau Oost BV'), await admit('Payroll West BV')];
    const imported = await api('/v1/diplomas', {
      key: stack.adminKey,
      ...json({
        diplomas: holders.map((h) => ({
          diplomaNumber: h.diplomaNumber,
          type: 'backofficeprofessional',
          issuedOn: '2020-06-01',
          holder: { initials: 'M.', lastName: h.lastName, birthDate: h.birthDate },
        })),
      }),
    });
    expect(imported.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    release?.();
    await stack?.stop();
  });

  it('registers a Dutch Excel CSV upload once, however often and with whatever headers it is sent, and mails everyone once', async () => {
    // As Excel's "CSV UTF-8 (gescheiden door lijstscheidingsteken)" writes it: BOM, ';', CRLF, dd-mm-yyyy, some quoting.
    const lines = holders.map((h, i) => (i % 3 === 0 ? `"${h.diplomaNumber}";"15-03-1985";"${h.email}"` : `${h.diplomaNumber};15-03-1985;${h.email}`));
    const csv = Buffer.from(`\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${lines.join('\r\n')}\r\n`, 'utf8');
    const send = (key: string | undefined = `e2e-${run}`) =>
      api(`/v1/employers/${employer.employerId}/collective-registrations`, {
        key: employer.apiKey,
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8', ...(key ? { 'idempotency-key': key } : {}) },
      });

    const first = await send();
    expect(first.status).toBe(201);
    const answer = (await first.json()) as { collectiveRegistrationId: string; participants: { diplomaNumber: string; outcome: string }[] };
    expect(answer.participants.map((p) => [p.diplomaNumber, p.outcome])).toEqual(holders.map((h) => [h.diplomaNumber, 'registered']));

    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(answer);
    // The same file again without the key, as an HR person does: the same registration.
    const plain = await send(undefined);
    expect(plain.status).toBe(201);
    expect(plain.headers.get('idempotent-replayed')).toBe('true');
    expect(await plain.json()).toEqual(answer);

    for (const h of holders) expect(await mailsTo(stack, h.email)).toHaveLength(1);

    // Another employer may not use this employer's route.
    const foreign = await api(`/v1/employers/${employer.employerId}/collective-registrations`, { key: other.apiKey, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(foreign.status).toBe(404);
  });

  it('runs the activation-mails job over HTTP and with `npm run job`; with nothing pending it sends nothing', async () => {
    const http = await api('/v1/jobs/activation-mails/runs', { key: stack.adminKey, ...json({}) });
    expect(http.status).toBe(200);
    expect(await http.json()).toMatchObject({ job: 'activation-mails', sent: 0, failed: 0, pending: 0 });

    const env: NodeJS.ProcessEnv = { ...process.env, DYNAMODB_PORT: String(stack.ports.dynamo), SES_PORT: String(stack.ports.ses) };
    // The worker's own table and endpoints must not leak into the command.
    for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TABLE_NAME' || k.endsWith('_ENDPOINT')) delete env[k];
    const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('npm', ['run', '--silent', 'job', '--', 'activation-mails'], { cwd: repoRoot, env }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(cli.code, cli.stderr).toBe(0);
    // The summary is the last thing printed (pretty JSON), after the job's structured log lines.
    const summary = cli.stdout.slice(cli.stdout.lastIndexOf('\n{\n') + 1);
    expect(JSON.parse(summary)).toMatchObject({ job: 'activation-mails', sent: 0, failed: 0, pending: 0 });
    expect(stack.output()).toMatch(/Job\s+activation-mails: 0-59\/5 \* \* \* \*/);
  }, 60_000);

  it('serves the report as CSV that Dutch Excel opens (BOM, ;, CRLF) and as JSON with totals', async () => {
    const csvRes = await api(`/v1/employers/${employer.employerId}/report`, { key: employer.apiKey, headers: { accept: 'text/csv' } });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csvRes.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFRegistratienummer;Naam;Titel;Startdatum;Einddatum;Status;Punten behaald;Punten ontbrekend;Gekoppeld op;Risico;Deelnemer-ID;Leerlijn;Leerlijn open');
    const rows = parse(text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.Status === 'actief' && r.Titel === 'Register-Backofficeprofessional' && r['Punten ontbrekend'] === '12')).toBe(true);
    expect(rows.map((r) => r.Naam)).toContain('M. Çelik');

    // The Excel workbook, through the local gateway's binary answer.
    const xlsx = await api(`/v1/employers/${employer.employerId}/report?format=xlsx`, { key: employer.apiKey, headers: { 'accept-language': 'en' } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename="report-uitzendbureau-oost-bv-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.getWorksheet('Report')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Registration number');
    expect(sheet.getRow(2).getCell(4).value).toBeInstanceOf(Date);
    expect(sheet.getRow(2).getCell(8).value).toBe(12);
    expect(sheet.getRow(15).getCell(1).value).toBe('Total');
    expect(sheet.getRow(15).getCell(2).value).toBe(12);

    const page = await api(`/v1/employers/${employer.employerId}/report?limit=5`, { key: employer.apiKey });
    const body = (await page.json()) as { employees: unknown[]; totals: Record<string, number>; nextCursor?: string };
    expect(body.employees).toHaveLength(5);
    expect(body.totals).toEqual({ employees: 12, active: 12, lapsed: 0, onTrack: 12, atRisk: 0 });
    expect(body.nextCursor).toEqual(expect.any(String));

    expect((await api(`/v1/employers/${employer.employerId}/report`, { key: other.apiKey })).status).toBe(404);
    expect((await api(`/v1/employers/${employer.employerId}/report`)).status).toBe(401);
  });

  it("gives one employee's history as CSV, and the admin can unlink them", async () => {
    const page = (await (await api(`/v1/employers/${employer.employerId}/report?limit=1`, { key: employer.apiKey })).json()) as { employees: { participantId: string }[] };
    const pid = page.employees[0].participantId;
    const hist = await api(`/v1/employers/${employer.employerId}/report/${pid}?format=csv`, { key: employer.apiKey });
    expect(hist.status).toBe(200);
    // (fetch's text() would drop the BOM, so read the bytes.)
    const histText = Buffer.from(await hist.arrayBuffer()).toString('utf8');
    expect(histText).toBe('\uFEFFRegistratienummer;Naam;Afgerond op;Activiteit-ID;Activiteit;Punten;Status;Periode vanaf;Credit-ID;Ingetrokken op\r\n');

    expect((await api(`/v1/employers/${employer.employerId}/employees/${pid}`, { key: employer.apiKey, method: 'DELETE' })).status).toBe(403);
    expect((await api(`/v1/employers/${employer.employerId}/employees/${pid}`, { key: stack.adminKey, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/participants/${pid}`, { key: employer.apiKey })).status).toBe(404);
    expect((await api(`/v1/employers/${employer.employerId}/report/${pid}`, { key: employer.apiKey })).status).toBe(404);
  });
});
