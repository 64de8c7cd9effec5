import { pageHandler } from '../../shared/web/page';
import { Heading, Link, Paragraph } from '../../shared/web/components';
import { credentialFile } from '../../shared/web/credential';
import { currentCredential } from '../../shared/services/credentials';
import { NotFound } from '../../shared/domain/errors';
import { getParticipant } from '../../shared/data/participants';
import { registerEntry } from '../../shared/services/participants';

/*
 * /dossier/bewijs (issue 18): "Bewijs downloaden" — the signed-in participant's own current
 * credential as a file (`application/vc+jwt`), always the session's own: the page takes no id.
 * Without a current period the page says so, instead of a bare 404; so it does when the register
 * withdrew the credential of a period that still runs (none is offered again for that period).
 */
export const handler = pageHandler({
  routes: ['page-credential-download'],
  handler: async (ctx) => {
    const c = ctx.t.credential;
    try {
      return credentialFile(ctx.t, await currentCredential(ctx.session!.ownerId, ctx.today));
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
      const participant = await getParticipant(ctx.session!.ownerId);
      const registered = Boolean(participant && registerEntry(participant, ctx.today));
      return {
        status: 404,
        title: c.noPeriodTitle,
        body: (
          <>
            <Heading>{c.noPeriodTitle}</Heading>
            <Paragraph>{registered ? c.withdrawnText : c.noPeriod}</Paragraph>
            <Paragraph>
              <Link href="/dossier">{c.backToDossier}</Link>
            </Paragraph>
          </>
        ),
      };
    }
  },
});
