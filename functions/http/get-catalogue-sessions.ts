import { httpHandler } from '../../shared/http/handler';
import { conditionalAnswer } from '../../shared/http/conditional';
import { SessionsFeedQuerySchema } from '../../shared/schemas/catalogue-feed';
import { sessionsCalendar, FEED_CACHE_CONTROL } from '../../shared/services/catalogue-feed';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-catalogue-sessions',
  query: SessionsFeedQuerySchema,
  handler: async (req) =>
    conditionalAnswer(req.headers, await sessionsCalendar(req.query, todayInAmsterdam()), 'text/calendar; charset=utf-8', FEED_CACHE_CONTROL),
});
