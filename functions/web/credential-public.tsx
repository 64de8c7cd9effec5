import { pageHandler } from '../../shared/web/page';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { RegisterNumberParamsSchema } from '../../shared/schemas/participants';
import { credentialFile } from '../../shared/web/credential';
import { currentCredentialForRegistration } from '../../shared/services/credentials';

/*
 * /register/{registrationNumber}/bewijs (issue 18): "Digitaal bewijs downloaden" from the public
 * register entry, and the address the participant's QR code holds. It answers exactly when the
 * entry does: not registered today, unknown or not a number at all is the same 404 page.
 */
export const handler = pageHandler({
  routes: ['page-register-credential'],
  handler: async ({ t, params, today }) => {
    const checked = validate(RegisterNumberParamsSchema, { registrationNumber: params.registrationNumber ?? '' });
    if (!checked.ok) throw new NotFound();
    return credentialFile(t, await currentCredentialForRegistration(checked.data.registrationNumber, today));
  },
});
