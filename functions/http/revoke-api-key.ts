import { httpHandler } from '../../shared/http/handler';
import { KeyIdParamsSchema } from '../../shared/schemas/organisations';
import { revokeApiKey } from '../../shared/data/api-keys';
import { NotFound } from '../../shared/domain/errors';

export const handler = httpHandler({
  route: 'revoke-api-key',
  params: KeyIdParamsSchema,
  handler: async ({ params }) => {
    if (!(await revokeApiKey(params.keyId))) throw new NotFound('No API key with this id.');
    return { status: 204 };
  },
});
