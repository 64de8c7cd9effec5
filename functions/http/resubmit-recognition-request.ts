import { httpHandler } from '../../shared/http/handler';
import { RecognitionRequestBodySchema, RequestParamsSchema } from '../../shared/schemas/recognition';
import { recognitionBodyRules, requestView, resubmitRequest } from '../../shared/services/recognition';

export const handler = httpHandler({
  route: 'resubmit-recognition-request',
  params: RequestParamsSchema,
  body: RecognitionRequestBodySchema,
  bodyRules: recognitionBodyRules,
  handler: async ({ params, body, caller }) => ({ status: 200, body: requestView(await resubmitRequest(caller!, params.requestId, body)) }),
});
