import QRCode from 'qrcode';
import { sessionParticipant, participantViewer } from '../../shared/web/participant';
import { pageHandler } from '../../shared/web/page';
import { Heading, Link, Paragraph } from '../../shared/web/components';
import { publicCredentialPath } from '../../shared/web/credential';
import { registerEntry } from '../../shared/services/participants';
import { config } from '../../shared/config';

/*
 * /dossier/bewijs/qr (issue 18): the credential for a phone, as a QR code. The compact JWS is
 * some kilobytes — a dense code a phone scans badly — so the code holds the credential's public
 * address (`/register/{n}/bewijs`), from which the phone fetches the same file. It answers while
 * the person is in the register, as this page shows it; the address is written out beside the code.
 */

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The code as inline SVG (no script, no data: URL), named for screen readers by its <title>. */
async function qrSvg(address: string, label: string): Promise<string> {
  const svg = await QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 256 });
  return svg.replace(/^<svg /, `<svg role="img" aria-labelledby="qr-titel" focusable="false" `).replace(/^(<svg[^>]*>)/, `$1<title id="qr-titel">${escapeXml(label)}</title>`);
}

export const handler = pageHandler({
  routes: ['page-credential-qr'],
  viewer: participantViewer,
  handler: async (ctx) => {
    const c = ctx.t.credential;
    const participant = await sessionParticipant(ctx);
    const entry = registerEntry(participant, ctx.today);
    const back = (
      <Paragraph>
        <Link href="/dossier">{c.backToDossier}</Link>
      </Paragraph>
    );
    if (!entry) {
      return {
        status: 404,
        title: c.noPeriodTitle,
        body: (
          <>
            <Heading>{c.noPeriodTitle}</Heading>
            <Paragraph>{c.noPeriod}</Paragraph>
            {back}
          </>
        ),
      };
    }
    const address = `${config.publicBaseUrl.replace(/\/+$/, '')}${publicCredentialPath(entry.registrationNumber)}`;
    return {
      title: c.qrTitle,
      body: (
        <>
          <Heading>{c.qrTitle}</Heading>
          <Paragraph lead>{c.qrLead}</Paragraph>
          <div class="pe-qr" dangerouslySetInnerHTML={{ __html: await qrSvg(address, c.qrAlt(entry.registrationNumber)) }} />
          <Heading level={2}>{c.qrAddress}</Heading>
          <Paragraph>
            <Link href={address}>{address}</Link>
          </Paragraph>
          <Paragraph>{c.qrWhy}</Paragraph>
          {back}
        </>
      ),
    };
  },
});
