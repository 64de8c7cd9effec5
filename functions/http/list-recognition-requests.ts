import { httpHandler } from '../../shared/http/handler';
import { RecognitionRequestsQuerySchema } from '../../shared/schemas/recognition';
import { listRequests } from '../../shared/services/recognition';

export const handler = httpHandler({
  route: 'list-recognition-requests',
  query: RecognitionRequestsQuerySchema,
  handler: async ({ query, caller }) => ({ status: 200, body: await listRequests(caller!, query) }),
});
