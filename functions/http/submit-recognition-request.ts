import { httpHandler } from '../../shared/http/handler';
import { RecognitionRequestBodySchema } from '../../shared/schemas/recognition';
import { recognitionBodyRules, submitRequest } from '../../shared/services/recognition';

export const handler = httpHandler({
  route: 'submit-recognition-request',
  body: RecognitionRequestBodySchema,
  bodyRules: recognitionBodyRules,
  handler: async ({ body, caller }) => {
    const request = await submitRequest(caller!, body);
    return {
      status: 201,
      body: { requestId: request.requestId, status: request.status },
      headers: { location: `/v1/recognition-requests/${request.requestId}` },
    };
  },
});
