import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { preferredLanguage } from '../../shared/http/negotiate';
import { EmployerParamsSchema } from '../../shared/schemas/employers';
import { employerFor } from '../../shared/services/employers/access';
import { rowsFromBody } from '../../shared/services/employers/rows';
import { INVENTORY_ROWS, takeInventory } from '../../shared/services/inventory';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'take-inventory',
  params: EmployerParamsSchema,
  // JSON or CSV, as the collective registration: the handler reads the body itself.
  bodyMode: 'raw',
  handler: async ({ params, caller, headers, rawBody, event }): Promise<HttpResult> => {
    // Ownership first: another employer learns nothing, not even whether its body was valid.
    await employerFor(caller, params.employerId);
    const parsed = rowsFromBody(
      {
        contentType: headers['content-type'] ?? '',
        text: rawBody,
        bytes: event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64') : undefined,
        language: preferredLanguage(headers['accept-language']),
      },
      INVENTORY_ROWS,
    );
    return { status: 200, body: { rows: await takeInventory(params.employerId, parsed, todayInAmsterdam()) } };
  },
});
