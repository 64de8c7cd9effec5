import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { conditionalAnswer } from '../../shared/http/conditional';
import { CatalogueFeedQuerySchema } from '../../shared/schemas/catalogue-feed';
import { catalogueFeed, FEED_CACHE_CONTROL } from '../../shared/services/catalogue-feed';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-catalogue-feed',
  query: CatalogueFeedQuerySchema,
  handler: async (req) => {
    const feed = await catalogueFeed(req.query, todayInAmsterdam(), await pageRequest('get-catalogue-feed', req));
    return conditionalAnswer(req.headers, JSON.stringify(feed), 'application/json', FEED_CACHE_CONTROL);
  },
});
