import { pageHandler } from '../../shared/web/page';
import { DataList, Heading, Link, Paragraph } from '../../shared/web/components';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { RegisterNumberParamsSchema } from '../../shared/schemas/participants';
import { lookupRegister } from '../../shared/services/participants';
import { formatDate } from '../../shared/i18n';
import { RegisterCredentialLinks } from '../../shared/web/credential';

/**
 * `/register/{registrationNumber}`: one entry, exactly what `GET /v1/register/{n}` shows (name,
 * title, status, valid until) and nothing else. Not registered today, unknown, or not a number
 * at all: the 404 page, the same for each, so the page tells no more than the register does.
 */
export const handler = pageHandler({
  routes: ['page-register-entry'],
  handler: async ({ t, lang, params, today }) => {
    const checked = validate(RegisterNumberParamsSchema, { registrationNumber: params.registrationNumber ?? '' });
    if (!checked.ok) throw new NotFound();
    const entry = await lookupRegister(checked.data.registrationNumber, today);
    const r = t.register;
    return {
      title: entry.name,
      body: (
        <>
          <Heading>{entry.name}</Heading>
          <Paragraph lead>{`${entry.name} ${r.entryLead}`}</Paragraph>
          <DataList
            items={[
              { key: r.registrationNumber, value: entry.registrationNumber },
              { key: r.columnTitle, value: entry.title },
              { key: r.columnStatus, value: r.status[entry.status] },
              { key: r.columnValidUntil, value: formatDate(lang, entry.validUntil) },
            ]}
          />
          <RegisterCredentialLinks t={t} registrationNumber={entry.registrationNumber} />
          <Paragraph>
            <Link href="/register">{r.backToSearch}</Link>
          </Paragraph>
        </>
      ),
    };
  },
});
