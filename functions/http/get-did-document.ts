import { httpHandler } from '../../shared/http/handler';
import { issuerDidDocument } from '../../shared/services/credentials';

export const handler = httpHandler({
  route: 'get-did-document',
  handler: async () => ({
    status: 200,
    body: await issuerDidDocument(),
    // The key changes rarely, and a verifier that fetched it may keep it: an hour is a fair wait for a rotation.
    headers: { 'cache-control': 'public, max-age=3600' },
  }),
});
