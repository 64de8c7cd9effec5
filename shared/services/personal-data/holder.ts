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
  /**
   * The personal values the profile held when the erasure began (name, birth date, addresses,
   * diploma number), for holders that must find them inside free text (audit payloads, reasons).
   * Read before any holder runs; the profile holder, which removes them, runs last.
   */
  subject?: PersonalValues;
}

/** What the profile held, as the erasure found it (shared/services/personal-data/scrub.ts). */
export interface PersonalValues {
  participantId: string;
  diplomaNumber?: string;
  /** Whole strings that must not remain anywhere: the full name, the surname, e-mail, birth date, address lines. */
  values: string[];
}

/** What a holder did, per kind of change (counts of items). */
export type ErasureCounts = Partial<Record<'pseudonymised' | 'deleted' | 'ended' | 'revoked' | 'spent' | 'kept' | 'unlinked' | 'tombstoned', number>>;

export interface PersonalDataHolder {
  /** The export's section name (camelCase): what it holds. */
  name: string;
  /** Everything it holds about the participant, as plain JSON (the export's section). */
  export(participantId: string): Promise<unknown>;
  /**
   * Pseudonymises (or deletes) what it holds about the participant. Idempotent: an erasure
   * interrupted half-way is completed by running it again. May say what it did (the summary).
   */
  erase(participantId: string, ctx: ErasureContext): Promise<void | ErasureCounts>;
  /** Runs after every other holder (the profile: the others may need what it still holds). */
  runsLast?: boolean;
  /**
   * Runs again after the profile (credentials: tokens, sign-in links, sessions, API keys), so one
   * made or spent while the erasure ran — between this holder's first pass and the profile's
   * rewrite — is ended too.
   */
  againAfterProfile?: boolean;
  /** Why it keeps what it keeps (the export's explanation), when it keeps something. */
  kept?: string;
}
