import type { PersonalDataHolder } from './holder';
import { eraseCredentials, exportCredentials } from '../credential-status';

/*
 * Issue 18: the participant's verifiable credentials (one per period that was downloaded). Each
 * carries the name in its signed payload, so the erasure deletes them — after revoking each in its
 * status list, so a copy someone holds stops verifying as current. The bit stays set: it is an
 * index in a list of anonymous bits, naming nobody. New ones cannot appear meanwhile: issuing one
 * checks that the profile is not being erased.
 */
export const holders: PersonalDataHolder[] = [
  {
    name: 'credentials',
    export: exportCredentials,
    async erase(participantId) {
      const { revoked, deleted } = await eraseCredentials(participantId);
      return { revoked, deleted };
    },
  },
];
