import type { Language } from '../i18n/language';
import { todayInAmsterdam } from '../dates';
import type { ReportRow, ReportStatus, ReportTotals } from '../domain/report';
import type { PlanCoverage } from '../domain/learning-plans';
import { CSV_CONTENT_TYPE, toCsv, type Cell } from './csv';
import { workbook } from './xlsx';

/**
 * The employer report and an employee's history as people download them: CSV for Dutch Excel
 * (column names in the request's language, Dutch by default, like its ja/nee) or a real Excel
 * workbook (dates as dates, points as numbers, frozen header, autofilter, a totals row). One
 * table definition per download feeds both, so the CSV and the workbook never disagree.
 *
 * The workbook is built by `./xlsx`, which loads exceljs on first use (bench/OPTIMISATIONS.md).
 */

export type ExportFormat = 'json' | 'csv' | 'xlsx';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';


/** The download a negotiated media type (shared/http/negotiate.ts: `?format=`, then Accept with q-values) stands for. */
export function exportFormatOf(type: string): ExportFormat {
  return type === 'text/csv' ? 'csv' : type === XLSX_CONTENT_TYPE ? 'xlsx' : 'json';
}

// ---------------------------------------------------------------- tables

/** How a column's values are written: a workbook stores dates as dates and points as numbers. */
export type ColumnKind = 'text' | 'date' | 'points';

export interface ExportColumn<R> {
  header: Record<Language, string>;
  kind: ColumnKind;
  /** The value: text, an ISO date (`date`), a number (`points`), or null for an empty cell. */
  value: (row: R, lang: Language) => string | number | null;
}

/** A number in the totals row, shown with its label (the workbook keeps it a number). */
export interface TotalCell {
  value: number;
  /** Label after the number, singular and plural. */
  label: Record<Language, [string, string]>;
  /** The column it stands in (by its index); default: the next one. */
  column?: number;
  /** Points get the points' number format; counts are whole numbers. */
  kind?: 'count' | 'points';
}

export interface ExportTable<R> {
  sheet: Record<Language, string>;
  columns: ExportColumn<R>[];
  rows: readonly R[];
  totals?: { label: Record<Language, string>; cells: TotalCell[] };
}

/** The rows as the CSV's cells (dates ISO, points with a decimal comma, by `toCsv`). */
function csvOf<R>(table: ExportTable<R>, lang: Language): string {
  return toCsv(
    table.columns.map((c) => c.header[lang]),
    table.rows.map((r) => table.columns.map((c) => c.value(r, lang) as Cell)),
  );
}

export interface Download {
  body: string | Buffer;
  headers: Record<string, string>;
}

/** The table as the asked format's file, with its headers (attachment, language, Vary). */
export async function download<R>(table: ExportTable<R>, format: 'csv' | 'xlsx', lang: Language, filename: string): Promise<Download> {
  const common = { 'content-language': lang, vary: 'accept, accept-language' };
  if (format === 'csv') {
    return { body: csvOf(table, lang), headers: { ...common, 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="${filename}.csv"` } };
  }
  return {
    body: await workbook(table, lang),
    headers: { ...common, 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': `attachment; filename="${filename}.xlsx"` },
  };
}

/** A file-name part: lower-case ASCII letters, digits and dashes (an employer's name → `flex-uitzend-bv`). */
export function fileNamePart(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || fallback;
}

// ---------------------------------------------------------------- the employer report

const yesNo = (value: boolean, lang: Language) => (lang === 'nl' ? (value ? 'ja' : 'nee') : value ? 'yes' : 'no');

const REPORT_STATUS: Record<ReportStatus, Record<Language, string>> = {
  active: { nl: 'actief', en: 'active' },
  lapsed: { nl: 'verlopen', en: 'lapsed' },
  renewed: { nl: 'verlengd', en: 'renewed' },
  upcoming: { nl: 'toekomstig', en: 'upcoming' },
  'not-registered': { nl: 'niet geregistreerd', en: 'not registered' },
};

export const REPORT_COLUMNS: ExportColumn<ReportRow>[] = [
  { header: { nl: 'Registratienummer', en: 'Registration number' }, kind: 'text', value: (r) => r.registrationNumber },
  { header: { nl: 'Naam', en: 'Name' }, kind: 'text', value: (r) => r.name },
  { header: { nl: 'Titel', en: 'Title' }, kind: 'text', value: (r) => r.title },
  { header: { nl: 'Startdatum', en: 'Start date' }, kind: 'date', value: (r) => r.startsOn },
  { header: { nl: 'Einddatum', en: 'End date' }, kind: 'date', value: (r) => r.endsOn },
  { header: { nl: 'Status', en: 'Status' }, kind: 'text', value: (r, lang) => REPORT_STATUS[r.status][lang] },
  { header: { nl: 'Punten behaald', en: 'Points earned' }, kind: 'points', value: (r) => r.pointsEarned },
  { header: { nl: 'Punten ontbrekend', en: 'Points missing' }, kind: 'points', value: (r) => r.pointsMissing },
  { header: { nl: 'Gekoppeld op', en: 'Linked on' }, kind: 'date', value: (r) => r.linkedOn },
  { header: { nl: 'Risico', en: 'At risk' }, kind: 'text', value: (r, lang) => yesNo(r.atRisk, lang) },
  { header: { nl: 'Deelnemer-ID', en: 'Participant ID' }, kind: 'text', value: (r) => r.participantId },
  // Issue 16 part 2: the learning plan and its open requirements (empty without a plan).
  { header: { nl: 'Leerlijn', en: 'Learning plan' }, kind: 'text', value: (r) => r.plan?.planId ?? null },
  { header: { nl: 'Leerlijn open', en: 'Learning plan open' }, kind: 'text', value: (r, lang) => (r.plan ? openRequirementsText(r.plan, lang) : null) },
];

/** `T11 (deze periode); T03 vóór 2027-03-01` / `T11 (this period); T03 before 2027-03-01`; `-` when nothing is open. */
export function openRequirementsText(plan: PlanCoverage, lang: Language): string {
  if (!plan.open.length) return '-';
  return plan.open
    .map((r) => (r.kind === 'period' ? `${r.topic} (${lang === 'nl' ? 'deze periode' : 'this period'})` : `${r.topic} ${lang === 'nl' ? 'vóór' : 'before'} ${r.before}`))
    .join('; ');
}

/** The report as a table: every row, and its totals (the JSON's `totals`) under them in the workbook. */
export function reportTable(rows: readonly ReportRow[], totals: ReportTotals): ExportTable<ReportRow> {
  return {
    sheet: { nl: 'Rapportage', en: 'Report' },
    columns: REPORT_COLUMNS,
    rows,
    totals: {
      label: { nl: 'Totaal', en: 'Total' },
      cells: [
        { value: totals.employees, label: { nl: ['werknemer', 'werknemers'], en: ['employee', 'employees'] } },
        { value: totals.active, label: { nl: ['actief', 'actief'], en: ['active', 'active'] } },
        { value: totals.lapsed, label: { nl: ['verlopen', 'verlopen'], en: ['lapsed', 'lapsed'] } },
        { value: totals.onTrack, label: { nl: ['op schema', 'op schema'], en: ['on track', 'on track'] } },
        { value: totals.atRisk, label: { nl: ['met risico', 'met risico'], en: ['at risk', 'at risk'] } },
      ],
    },
  };
}

export function reportFileName(lang: Language, employer: { employerId: string; name: string }, today: string): string {
  return `${lang === 'nl' ? 'rapportage' : 'report'}-${fileNamePart(employer.name, employer.employerId)}-${today}`;
}

// ---------------------------------------------------------------- an employee's history

export interface HistoryRow {
  registrationNumber: string;
  name: string;
  creditId: string;
  activityId: string;
  activityTitle: string;
  points: number;
  completedOn: string;
  status: 'credited' | 'revoked';
  registrationStartsOn: string | null;
  revokedAt?: string;
}

const CREDIT_STATUS: Record<HistoryRow['status'], Record<Language, string>> = {
  credited: { nl: 'toegekend', en: 'credited' },
  revoked: { nl: 'ingetrokken', en: 'revoked' },
};

export const HISTORY_COLUMNS: ExportColumn<HistoryRow>[] = [
  { header: { nl: 'Registratienummer', en: 'Registration number' }, kind: 'text', value: (r) => r.registrationNumber },
  { header: { nl: 'Naam', en: 'Name' }, kind: 'text', value: (r) => r.name },
  { header: { nl: 'Afgerond op', en: 'Completed on' }, kind: 'date', value: (r) => r.completedOn },
  { header: { nl: 'Activiteit-ID', en: 'Activity ID' }, kind: 'text', value: (r) => r.activityId },
  { header: { nl: 'Activiteit', en: 'Activity' }, kind: 'text', value: (r) => r.activityTitle },
  { header: { nl: 'Punten', en: 'Points' }, kind: 'points', value: (r) => r.points },
  { header: { nl: 'Status', en: 'Status' }, kind: 'text', value: (r, lang) => CREDIT_STATUS[r.status][lang] },
  { header: { nl: 'Periode vanaf', en: 'Period from' }, kind: 'date', value: (r) => r.registrationStartsOn },
  { header: { nl: 'Credit-ID', en: 'Credit ID' }, kind: 'text', value: (r) => r.creditId },
  // The day (in Amsterdam) the credit was withdrawn: an instant means little in a spreadsheet.
  { header: { nl: 'Ingetrokken op', en: 'Revoked on' }, kind: 'date', value: (r) => (r.revokedAt ? todayInAmsterdam(new Date(r.revokedAt)) : null) },
];

const POINTS_COLUMN = HISTORY_COLUMNS.findIndex((c) => c.kind === 'points');

/** The history as a table; the workbook's totals row sums the points that still count. */
export function historyTable(rows: readonly HistoryRow[]): ExportTable<HistoryRow> {
  const credited = rows.filter((r) => r.status === 'credited');
  return {
    sheet: { nl: 'Historie', en: 'History' },
    columns: HISTORY_COLUMNS,
    rows,
    totals: {
      label: { nl: 'Totaal toegekend', en: 'Total credited' },
      cells: [
        { value: credited.length, label: { nl: ['activiteit', 'activiteiten'], en: ['activity', 'activities'] }, column: POINTS_COLUMN - 1 },
        { value: credited.reduce((sum, r) => sum + r.points, 0), label: { nl: ['punt', 'punten'], en: ['point', 'points'] }, column: POINTS_COLUMN, kind: 'points' },
      ],
    },
  };
}

export function historyFileName(lang: Language, registrationNumber: string, today: string): string {
  return `${lang === 'nl' ? 'historie' : 'history'}-${registrationNumber}-${today}`;
}
