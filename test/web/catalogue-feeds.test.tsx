/**
 * `/scholingskalender/koppelen` (issue 16 part 7: the catalogue for learning platforms) and the
 * links to it and to the calendar at the foot of `/scholingskalender`.
 */
import { describe, expect, it } from 'vitest';
import * as feedsPage from '../../functions/web/catalogue-feeds';
import * as cataloguePage from '../../functions/web/catalogue';
import { CatalogueFeedItemSchema } from '../../shared/schemas/catalogue-feed';
import { allRoutes } from '../../shared/routes';
import { compileRoute, matchRoute } from '../../infra/local/event';
import { config } from '../../shared/config';
import { page } from './helpers';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const codeBlocks = (body: string) => [...body.matchAll(/<code class="utrecht-code">([\s\S]*?)<\/code>/g)].map((m) => decode(m[1]));

describe('/scholingskalender/koppelen', () => {
  it('is its own route, not an activity id', () => {
    const hit = matchRoute(allRoutes.map((r) => compileRoute(r)), 'GET', '/scholingskalender/koppelen');
    expect(hit.hit?.route.id).toBe('page-catalogue-feeds');
  });

  it('names both feeds by their full address, shows an item the feed’s schema accepts, and explains updatedSince and the ETag', async () => {
    const res = await page(feedsPage, { path: '/scholingskalender/koppelen' });
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(res.body).toContain('Voor leerplatforms');
    const base = config.publicBaseUrl;
    expect(res.body).toContain(`href="${base}/v1/catalogue/feed.json"`);
    expect(res.body).toContain(`href="${base}/v1/catalogue/sessions.ics"`);
    const [example, request] = codeBlocks(res.body);
    const item = JSON.parse(example).items[0];
    expect(CatalogueFeedItemSchema.safeParse(item).success).toBe(true);
    expect(item.url).toBe(`${base}/scholingskalender/${item.activityId}`);
    expect(request).toContain('If-None-Match');
    expect(request).toContain('304');
    expect(res.body).toContain('updatedSince');
    expect(res.body).toContain('href="/scholingskalender"');
  });

  it('speaks English too', async () => {
    const res = await page(feedsPage, { path: '/scholingskalender/koppelen?lang=en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('For learning platforms');
    expect(res.body).toContain('Back to the catalogue');
  });
});

describe('/scholingskalender', () => {
  it('links the calendar of the sessions and the page for learning platforms at its foot', async () => {
    const res = await page(cataloguePage, { path: '/scholingskalender' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a class="utrecht-link" href="/v1/catalogue/sessions.ics">In uw agenda</a>');
    expect(res.body).toContain('href="/scholingskalender/koppelen"');
    const en = await page(cataloguePage, { path: '/scholingskalender?lang=en' });
    expect(en.body).toContain('In your calendar');
  });
});
