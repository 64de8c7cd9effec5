/**
 * Data for the browser flows, set up through the stack's real JSON API (API.md) with its admin
 * key, in the shapes the e2e tests use: diplomas with an e-mail on file, providers, approved
 * activities for the catalogue, the registration tariff, and signed completion webhooks.
 */
import { Webhook } from 'standardwebhooks';
import { api, type Stack } from '../e2e/helpers';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

/** Today in the register's time zone (the stack runs on the real clock), and days from it. */
export const today = () => todayInAmsterdam();
export const daysFromToday = (days: number) => addDays(todayInAmsterdam(), days);

export interface Holder {
  diplomaNumber: string;
  initials: string;
  prefix?: string;
  lastName: string;
  birthDate: string;
  email?: string;
  /** Default: before 2023, so the holder activates (and the period starts) in the browser. */
  issuedOn?: string;
}

/** Imports diplomas (type uitzendprofessional → the title Register-Uitzendprofessional). */
export async function importDiplomas(stack: Stack, holders: Holder[]): Promise<void> {
  await api(stack, 'POST', '/v1/diplomas', {
    key: stack.adminKey,
    expect: 200,
    body: {
      diplomas: holders.map((h) => ({
        diplomaNumber: h.diplomaNumber,
        type: 'uitzendprofessional',
        issuedOn: h.issuedOn ?? '2021-06-01',
        holder: { initials: h.initials, ...(h.prefix ? { prefix: h.prefix } : {}), lastName: h.lastName, birthDate: h.birthDate, ...(h.email ? { email: h.email } : {}) },
      })),
    },
  });
}

/** The registration fee, so a participant's own period gets an invoice (€ 49,95 + 21 % VAT). */
export async function setTariff(stack: Stack): Promise<void> {
  await api(stack, 'PUT', '/v1/tariffs/registration', { key: stack.adminKey, expect: 200, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
}

export interface Provider {
  providerId: string;
  apiKey: string;
  webhookSecret: string;
  name: string;
}

export async function admitProvider(stack: Stack, name: string, kvkNumber: string): Promise<Provider> {
  const { json } = await api(stack, 'POST', '/v1/providers', {
    key: stack.adminKey,
    expect: 201,
    body: { name, kvkNumber, contactEmail: `info.${kvkNumber}@provider.example.nl` },
  });
  return { ...json, name };
}

export interface ActivitySpec {
  title: string;
  description: string;
  activityType: 'e-learning' | 'webinar' | 'training' | 'workshop' | 'continuous-learning-app';
  topics: string[];
  netStudyMinutes: number;
  /** Session start dates (ISO); online unless a location is given. */
  sessions?: { startsOn: string; location?: string }[];
}

/** A recognition request by the provider, approved by the admin: an activity in the catalogue. */
export async function approvedActivity(stack: Stack, provider: Provider, spec: ActivitySpec): Promise<{ activityId: string; points: number }> {
  const submitted = await api(stack, 'POST', '/v1/recognition-requests', {
    key: provider.apiKey,
    expect: 201,
    body: {
      title: spec.title,
      description: spec.description,
      learningGoals: ['Kent de regels en past ze toe'],
      activityType: spec.activityType,
      nature: 'updating',
      topics: spec.topics,
      netStudyMinutes: spec.netStudyMinutes,
      completion: { type: 'test', description: 'Eindtoets' },
      ...(spec.sessions ? { sessions: spec.sessions.map((s) => (s.location ? { startsOn: s.startsOn, location: s.location } : { startsOn: s.startsOn, online: true })) } : {}),
    },
  });
  const decided = await api(stack, 'POST', `/v1/recognition-requests/${submitted.json.requestId}/decision`, {
    key: stack.adminKey,
    expect: 200,
    body: { decision: 'approved' },
  });
  return { activityId: decided.json.activityId, points: decided.json.points };
}

/** The provider's learning system reports a completion today, signed as Standard Webhooks asks. */
export async function creditCompletion(stack: Stack, provider: Provider, activityId: string, diplomaNumber: string, externalId: string) {
  const body = JSON.stringify({ completions: [{ externalId, activityId, participant: { diplomaNumber }, completedOn: today() }] });
  const at = new Date();
  const id = `msg_${externalId}`;
  const { json } = await api(stack, 'POST', `/v1/webhooks/providers/${provider.providerId}/completions`, {
    raw: body,
    expect: 200,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.webhookSecret).sign(id, at, body) },
  });
  if (json.results[0].status !== 'credited') throw new Error(`completion ${externalId} not credited: ${JSON.stringify(json.results[0])}`);
  return json.results[0] as { creditId: string; points: number };
}
