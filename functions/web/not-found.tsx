import { pageHandler } from '../../shared/web/page';
import { NotFound } from '../../shared/domain/errors';
import { problemBody } from '../../shared/http/errors';
import { builtWith, HANDLER_SPEC } from '../../shared/http/spec';

const pages = pageHandler({
  routes: ['page-not-found'],
  handler: async () => {
    throw new NotFound();
  },
});

/**
 * Every path no other route takes: the 404 page in the site's look — or, below /v1 (an API
 * client's typo), the API's own problem+json 404.
 */
export const handler = builtWith(async (event: Parameters<typeof pages>[0], context: Parameters<typeof pages>[1]) => {
  if (event.rawPath === '/v1' || event.rawPath?.startsWith('/v1/')) {
    return {
      statusCode: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify(problemBody(404, 'Not Found', `No route for ${event.requestContext?.http?.method ?? 'GET'} ${event.rawPath}.`)),
    };
  }
  return pages(event, context);
}, pages[HANDLER_SPEC]);
