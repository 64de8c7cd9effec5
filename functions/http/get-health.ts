import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler({
  route: 'get-health',
  handler: async () => ({ status: 200, body: { status: 'ok' } }),
});
