import { httpHandler } from '../../shared/http/handler';
import { ImportDiplomasRequestSchema } from '../../shared/schemas/participants';
import { importDiplomas } from '../../shared/services/diplomas';
import { actorOf } from '../../shared/services/access';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'import-diplomas',
  body: ImportDiplomasRequestSchema,
  handler: async ({ body, caller }) => ({ status: 200, body: await importDiplomas(body.diplomas, actorOf(caller), todayInAmsterdam()) }),
});
