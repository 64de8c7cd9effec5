import { httpHandler } from '../../shared/http/handler';
import { ActivitiesQuerySchema } from '../../shared/schemas/recognition';
import { catalogue } from '../../shared/services/catalogue';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'list-activities',
  query: ActivitiesQuerySchema,
  handler: async ({ query }) => ({
    status: 200,
    body: await catalogue(query, todayInAmsterdam()),
    headers: { 'cache-control': 'public, max-age=60' },
  }),
});
