import { httpHandler } from '../../shared/http/handler';
import { listTopics } from '../../shared/data/topics';

export const handler = httpHandler({
  route: 'list-topics',
  handler: async () => ({ status: 200, body: { items: await listTopics() }, headers: { 'cache-control': 'public, max-age=60' } }),
});
