import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { actorOf } from '../../shared/http/actor';
import { BadRequest, UnsupportedMediaType } from '../../shared/http/errors';
import { parseOrThrow } from '../../shared/http/validation';
import { preferredLanguage } from '../../shared/http/negotiate';
import { EmployerParamsSchema, IdempotencyKeySchema } from '../../shared/schemas/employers';
import { employerFor, registerCollectively, rowsFromCsv, rowsFromJson } from '../../shared/services/employers';
import { todayInAmsterdam } from '../../shared/dates';
import { decodeCsv } from '../../shared/services/csv';

export const handler = httpHandler({
  route: 'create-collective-registration',
  params: EmployerParamsSchema,
  // JSON or CSV: the handler reads the body itself.
  bodyMode: 'raw',
  handler: async ({ params, caller, headers, rawBody, event, context }): Promise<HttpResult> => {
    // Ownership first: another employer learns nothing, not even whether its body was valid.
    const employer = await employerFor(caller, params.employerId);
    const contentType = (headers['content-type'] ?? '').toLowerCase();
    let parsed;
    // A CSV's messages come in the request's language when it names one, else in its header's.
    if (/^(text|application)\/csv\b/.test(contentType)) {
      // From the bytes when the gateway passed them (base64), not their UTF-8 reading: Excel's plain
      // CSV is Windows-1252. A text/* body arrives already read as UTF-8 by the gateway.
      const text = event.isBase64Encoded && event.body ? decodeCsv(Buffer.from(event.body, 'base64'), contentType) : rawBody;
      parsed = rowsFromCsv(text, preferredLanguage(headers['accept-language']));
    }
    else if (!contentType || /^application\/([\w.+-]*\+)?json\b/.test(contentType)) {
      let body: unknown;
      try {
        body = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
      } catch (err) {
        throw new BadRequest(`The request body is not valid JSON: ${(err as Error).message}`, [{ path: '', message: 'Malformed JSON' }]);
      }
      parsed = rowsFromJson(body);
    } else throw new UnsupportedMediaType('application/json or text/csv');

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
