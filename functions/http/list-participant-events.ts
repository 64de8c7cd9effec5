import { httpHandler } from '../../shared/http/handler';
import { EventsQuerySchema, ParticipantParamsSchema } from '../../shared/schemas/participants';
import { getParticipant } from '../../shared/data/participants';
import { listParticipantEvents } from '../../shared/data/credits';
import { pageRequest } from '../../shared/http/cursor';
import { NotFound } from '../../shared/domain/errors';

export const handler = httpHandler({
  route: 'list-participant-events',
  params: ParticipantParamsSchema,
  query: EventsQuerySchema,
  handler: async (req) => {
    const page = await pageRequest('list-participant-events', req);
    if (!(await getParticipant(req.params.participantId))) throw new NotFound('No participant with this id.');
    const events = await listParticipantEvents(req.params.participantId, page.limit, page.start);
    return { status: 200, body: { items: events.items, nextCursor: page.next(events.lastKey) } };
  },
});
