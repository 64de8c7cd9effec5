import { httpHandler } from '../../shared/http/handler';
import { PutTopicRequestSchema, TopicParamsSchema } from '../../shared/schemas/recognition';
import { saveTopic } from '../../shared/services/recognition';

export const handler = httpHandler({
  route: 'put-topic',
  params: TopicParamsSchema,
  body: PutTopicRequestSchema,
  handler: async ({ params, body, caller }) => {
    const { topic } = await saveTopic(params.code, body, caller!);
    return { status: 200, body: topic };
  },
});
