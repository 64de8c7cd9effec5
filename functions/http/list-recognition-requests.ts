import { httpHandler } from '../../shared/http/handler';
import { RecognitionRequestsQuerySchema } from '../../shared/schemas/recognition';
import { listRequests } from '../../shared/services/recognition';
import { pageRequest } from '../../shared/http/cursor';

export const handler = httpHandler({
  route: 'list-recognition-requests',
  query: RecognitionRequestsQuerySchema,
  handler: async (req) => ({ status: 200, body: await listRequests(req.caller!, req.query, await pageRequest('list-recognition-requests', req)) }),
});
