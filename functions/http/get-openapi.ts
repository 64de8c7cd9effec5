import { httpHandler } from '../../shared/http/handler';
// Generated at build time from the same schemas that validate (npm run build:openapi).
import document from '../../shared/schemas/openapi.json';

export const handler = httpHandler({
  route: 'get-openapi',
  handler: async () => ({ status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } }),
});
