import { createHash } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { config } from '../config';
import { queryCatalogue, type Activity, type ActivitySession } from '../data/activities';
import { addDays } from '../domain/dates';
import { todayInAmsterdam } from '../dates';
import { formatPoints } from '../i18n';
import type { PageRequest } from '../data/paging';
import type { CatalogueFeedQuery, SessionsFeedQuery } from '../schemas/catalogue-feed';
import { catalogueView } from './catalogue';

/*
 * Issue 16 part 7: the catalogue for learning platforms. Both feeds read the catalogue's own gsi1
 * partitions (shared/data/activities.ts), so they show exactly what `/v1/activities` and
 * `/scholingskalender` show: public activities recognized today, never internal ones (they are in
 * no catalogue partition), expired ones (out of the key range) or ones recognized from a later day.
 */

/** How long platforms, calendars and CloudFront may keep an answer: a moved session shows within 5 minutes. */
export const FEED_MAX_AGE_SECONDS = 300;
export const FEED_CACHE_CONTROL = `public, max-age=${FEED_MAX_AGE_SECONDS}`;
/** The calendar keeps sessions that ended up to this many days ago (so a subscriber's recent past stays), nothing older. */
export const CALENDAR_PAST_DAYS = 30;
/** Bounds of one calendar: catalogue pages of 200 read, and events written (far above today's catalogue; see README). */
const CALENDAR_PAGES = 10;
export const CALENDAR_MAX_EVENTS = 5000;

/** The instant a day starts in Amsterdam (midnight is never in a DST gap there: the clocks move at 02:00/03:00). */
export function amsterdamMidnight(date: string): string {
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000);
    const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }).format(candidate);
    if (todayInAmsterdam(candidate) === date && hour === '00') return candidate.toISOString();
  }
  throw new Error(`No Amsterdam midnight for ${date}`);
}

/**
 * When the activity last changed for a platform: its own `updatedAt` (approval, sessions), or,
 * when later, the start of its first recognised day — the moment it entered the catalogue, which
 * no write marks.
 */
export function feedUpdatedAt(a: Activity): string {
  const written = a.updatedAt ?? a.createdAt;
  const entered = amsterdamMidnight(a.recognizedFrom);
  return entered > written ? entered : written;
}

export const activityUrl = (activityId: string) => `${config.publicBaseUrl}/scholingskalender/${encodeURIComponent(activityId)}`;

/** One page of the JSON feed (`GET /v1/catalogue/feed.json`), the catalogue's order (latest recognizedUntil first). */
export async function catalogueFeed(query: CatalogueFeedQuery, today: string, paging: PageRequest) {
  // An activity enters the catalogue at the midnight starting its first recognised day: that is at
  // or after the instant exactly when the day is after the Amsterdam day of the instant's previous
  // millisecond (so an `updatedSince` of exactly midnight still finds the activities entering then).
  const changedSince = query.updatedSince ? { instant: query.updatedSince, day: todayInAmsterdam(new Date(Date.parse(query.updatedSince) - 1)) } : undefined;
  const page = await queryCatalogue({ topic: query.topic, providerId: query.providerId, changedSince }, today, { limit: paging.limit, cursor: paging.start });
  return {
    items: page.items.map((a) => {
      // No rating in the feed (see CatalogueFeedItemSchema).
      const { rating: _rating, ...item } = catalogueView(a);
      return { ...item, url: activityUrl(a.activityId), updatedAt: feedUpdatedAt(a) };
    }),
    nextCursor: paging.next(page.lastKey),
  };
}

/**
 * The UID of a session's event: the activity, the session's start and a short hash of the rest of
 * it (end, place). Sessions have no id of their own; this stays the same for as long as the
 * session does, and a changed session is another event (the old one leaves the feed, which a
 * subscribed calendar reads as deleted). Two identical sessions get `-2`, `-3`, … in list order.
 */
function sessionUid(activityId: string, s: ActivitySession, seen: Map<string, number>, host: string): string {
  const rest = createHash('sha256').update(JSON.stringify([s.endsOn ?? null, s.location ?? null, s.online ?? null])).digest('hex').slice(0, 8);
  const base = `${activityId}-${s.startsOn.replaceAll('-', '')}-${rest}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return `${n === 1 ? base : `${base}-${n}`}@${host}`;
}

function place(s: ActivitySession): string {
  if (s.location && s.online) return `${s.location} (ook online)`;
  return s.location ?? 'Online';
}

/**
 * The iCalendar feed (`GET /v1/catalogue/sessions.ics`): one all-day VEVENT per session (sessions
 * have dates, no times: DTSTART/DTEND are dates, DTEND exclusive as RFC 5545 has it) of every
 * activity in the catalogue today, from CALENDAR_PAST_DAYS ago on. A cancelled session is removed
 * from its activity, so it leaves the feed. DTSTAMP is the activity's last change, not the time
 * of the request, so the same catalogue gives the same bytes (and ETag).
 */
export async function sessionsCalendar(query: SessionsFeedQuery, today: string): Promise<string> {
  const from = addDays(today, -CALENDAR_PAST_DAYS);
  const activities: Activity[] = [];
  let cursor: Record<string, unknown> | undefined;
  for (let read = 0; read < CALENDAR_PAGES; read++) {
    const page = await queryCatalogue({ topic: query.topic, providerId: query.providerId, from }, today, { limit: 200, cursor });
    activities.push(...page.items);
    cursor = page.lastKey;
    if (!cursor) break;
  }
  const host = new URL(config.publicBaseUrl).host;
  const events = activities.flatMap((a) => {
    const seen = new Map<string, number>();
    return a.sessions.map((s) => ({ a, s, uid: sessionUid(a.activityId, s, seen, host) })).filter(({ s }) => (s.endsOn ?? s.startsOn) >= from);
  });
  events.sort((x, y) => x.s.startsOn.localeCompare(y.s.startsOn) || x.uid.localeCompare(y.uid));

  const calendar = ical({
    name: 'PE-register: scholingskalender',
    description: 'Sessies van de erkende PE-activiteiten (permanente educatie uitzendbranche)',
    prodId: { company: 'PE-register', product: 'Scholingskalender', language: 'NL' },
    method: ICalCalendarMethod.PUBLISH,
    // Calendar apps refresh a subscription at this interval (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    ttl: 3600,
    url: `${config.publicBaseUrl}/scholingskalender`,
  });
  // The days are Amsterdam's; all-day dates carry no zone of their own (a calendar-wide TZID would
  // make the generator shift them by the process's zone), so the zone is only named.
  calendar.x([['X-WR-TIMEZONE', 'Europe/Amsterdam']]);
  for (const { a, s, uid } of events.slice(0, CALENDAR_MAX_EVENTS)) {
    const url = activityUrl(a.activityId);
    calendar.createEvent({
      id: uid,
      allDay: true,
      start: s.startsOn,
      end: addDays(s.endsOn ?? s.startsOn, 1),
      stamp: feedUpdatedAt(a),
      summary: a.title,
      location: place(s),
      url,
      description: `Aanbieder: ${a.providerName}\nPE-punten: ${formatPoints('nl', a.points)}\n${url}`,
    });
  }
  return calendar.toString();
}
