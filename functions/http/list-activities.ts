import { httpHandler } from '../../shared/http/handler';
import { ActivitiesQuerySchema } from '../../shared/schemas/recognition';
import { catalogue } from '../../shared/services/catalogue';
import { todayInAmsterdam } from '../../shared/dates';
import { pageRequest } from '../../shared/http/cursor';

export const handler = httpHandler({
  route: 'list-activities',
  query: ActivitiesQuerySchema,
  handler: async (req) => ({
    status: 200,
    body: await catalogue(req.query, todayInAmsterdam(), await pageRequest('list-activities', req)),
    headers: { 'cache-control': 'public, max-age=60' },
  }),
});
