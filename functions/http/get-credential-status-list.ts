import { httpHandler } from '../../shared/http/handler';
import { StatusListParamsSchema } from '../../shared/schemas/credentials';
import { statusListCredential } from '../../shared/services/credentials';
import { VC_JWT_MEDIA_TYPE } from '../../shared/domain/credentials';

export const handler = httpHandler({
  route: 'get-credential-status-list',
  params: StatusListParamsSchema,
  handler: async ({ params }) => ({
    status: 200,
    raw: true,
    body: await statusListCredential(params.listId),
    // Short: a revocation must reach verifiers that cache the list within minutes.
    headers: { 'content-type': VC_JWT_MEDIA_TYPE, 'cache-control': 'public, max-age=60' },
  }),
});
