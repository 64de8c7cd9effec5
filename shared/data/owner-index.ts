import { OWNER } from './keys';
/**
 * A participant's short-lived credentials (activation tokens, sign-in links, web sessions) and
 * activation claims are keyed by a hash or an id that names nobody, so nothing could find them
 * per participant but a scan. They join the participant's gsi2 partition `OWNER#<participantId>`
 * (beside its API keys), each kind under its own sort-key prefix, so the erasure and the export
 * (shared/services/personal-data) read them with one Query per kind.
 */
export const ownerIndexPk = (participantId: string) => OWNER(participantId);

export function ownerIndexKeys(participantId: string, kind: 'TOKEN' | 'SIGNIN' | 'WEBSESSION' | 'ACTCLAIM', at: Date, id?: string) {
  return { gsi2pk: ownerIndexPk(participantId), gsi2sk: `${kind}#${at.toISOString()}${id ? `#${id}` : ''}` };
}
