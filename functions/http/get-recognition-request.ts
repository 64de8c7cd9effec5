import { httpHandler } from '../../shared/http/handler';
import { RequestParamsSchema } from '../../shared/schemas/recognition';
import { requestFor, requestView } from '../../shared/services/recognition';

export const handler = httpHandler({
  route: 'get-recognition-request',
  params: RequestParamsSchema,
  handler: async ({ params, caller }) => ({ status: 200, body: requestView(await requestFor(caller!, params.requestId)) }),
});
