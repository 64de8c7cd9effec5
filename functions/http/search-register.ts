import { httpHandler } from '../../shared/http/handler';
import { RegisterSearchQuerySchema } from '../../shared/schemas/participants';
import { searchRegister } from '../../shared/services/participants';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'search-register',
  query: RegisterSearchQuerySchema,
  handler: async ({ query }) => ({
    status: 200,
    body: { items: await searchRegister(query.lastName, query.initials, todayInAmsterdam()) },
    headers: { 'cache-control': 'public, max-age=60' },
  }),
});
