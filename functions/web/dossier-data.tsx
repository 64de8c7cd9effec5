import { pageHandler } from '../../shared/web/page';
import { exportPersonalData } from '../../shared/services/personal-data/rights';

/*
 * /dossier/gegevens (issue 16 part 6): "Mijn gegevens downloaden" — the same export as
 * GET /v1/participants/{participantId}/export, for the signed-in participant, as a JSON file.
 */
export const handler = pageHandler({
  routes: ['page-dossier-data'],
  handler: async (ctx) => {
    const data = await exportPersonalData(ctx.session!.ownerId);
    return { file: Buffer.from(`${JSON.stringify(data, null, 2)}\n`, 'utf8'), contentType: 'application/json; charset=utf-8', filename: ctx.t.dataRights.filename };
  },
});
