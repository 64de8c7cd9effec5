import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { parseOrThrow } from '../../shared/http/validation';
import { preferredLanguage } from '../../shared/http/negotiate';
import { EmployerParamsSchema, IdempotencyKeySchema } from '../../shared/schemas/employers';
import { employerFor } from '../../shared/services/employers/access';
import { registerCollectively } from '../../shared/services/employers/registration';
import { rowsFromBody } from '../../shared/services/employers/rows';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-collective-registration',
  params: EmployerParamsSchema,
  // JSON or CSV: the handler reads the body itself.
  bodyMode: 'raw',
  handler: async ({ params, caller, headers, rawBody, event, context }): Promise<HttpResult> => {
    // Ownership first: another employer learns nothing, not even whether its body was valid.
    const employer = await employerFor(caller, params.employerId);
    // JSON or CSV; a CSV from its bytes when the gateway passed them (base64), in the request's language when it names one.
    const parsed = rowsFromBody({
      contentType: headers['content-type'] ?? '',
      text: rawBody,
      bytes: event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64') : undefined,
      language: preferredLanguage(headers['accept-language']),
    });

    const rawKey = headers['idempotency-key'];
    const idempotencyKey = rawKey === undefined ? undefined : parseOrThrow(IdempotencyKeySchema, rawKey, 'headers.Idempotency-Key');
    const result = await registerCollectively({
      employerId: employer.employerId,
      parsed,
      idempotencyKey,
      actor: actorOf(caller),
      today: todayInAmsterdam(),
      // E-mails that do not fit before the Lambda (and API Gateway) would cut the request go out through the activation-mails job.
      lambdaDeadline: Date.now() + context.getRemainingTimeInMillis(),
    });
    return {
      status: result.response.status,
      body: result.response.body,
      headers: result.replayed ? { 'idempotent-replayed': 'true' } : {},
    };
  },
});
