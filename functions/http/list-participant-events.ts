import { httpHandler } from '../../shared/http/handler';
import { EventsQuerySchema, ParticipantParamsSchema } from '../../shared/schemas/participants';
import { getParticipant, participantPk } from '../../shared/data/participants';
import { listEvents } from '../../shared/data/audit';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { NotFound } from '../../shared/http/errors';

export const handler = httpHandler({
  route: 'list-participant-events',
  params: ParticipantParamsSchema,
  query: EventsQuerySchema,
  handler: async ({ params, query }) => {
    if (!(await getParticipant(params.participantId))) throw new NotFound('No participant with this id.');
    const page = await listEvents(participantPk(params.participantId), query.limit ?? DEFAULT_LIMIT, decodeCursor(query.cursor));
    return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
  },
});
