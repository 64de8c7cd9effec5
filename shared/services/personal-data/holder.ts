/**
 * People's data (issue 16 part 6, AVG/GDPR): every module that keeps personal data about a
 * participant registers a holder here, so the export (`GET /v1/participants/{id}/export`) and
 * the erasure (`POST /v1/participants/{id}/erasure`, and the retention job) cannot forget one.
 * The parts that add items with personal data (evaluations, completion claims and unmatched
 * completions, bounce marks) each fill their own file beside this one.
 */
export interface ErasureContext {
  /** The pseudonym that replaces the participant's name wherever a name must stay (e.g. `Verwijderd 3F9A`). */
  pseudonym: string;
  erasedAt: string;
  reason: string;
  /** Who asked: the admin's actor id, or the retention job. */
  by: string;
}

export interface PersonalDataHolder {
  /** The export's section name (camelCase): what it holds. */
  name: string;
  /** Everything it holds about the participant, as plain JSON (the export's section). */
  export(participantId: string): Promise<unknown>;
  /**
   * Pseudonymises (or deletes) what it holds about the participant. Idempotent: an erasure
   * interrupted half-way is completed by running it again.
   */
  erase(participantId: string, ctx: ErasureContext): Promise<void>;
}
