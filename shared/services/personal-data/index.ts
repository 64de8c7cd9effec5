import type { PersonalDataHolder } from './holder';
import { coreHolders } from './core';
import { holders as evaluations } from './evaluations';
import { holders as unmatched } from './unmatched';
import { holders as deliverability } from './deliverability';

export type { ErasureContext, PersonalDataHolder } from './holder';

/**
 * Every holder of a participant's personal data. The core holders (profile, periods, credits,
 * links, audit events, outboxes, sessions, …) come first, from the data-rights part.
 */
export const personalDataHolders: PersonalDataHolder[] = [
  // ---- the core holders (issue 16 part 6) go here
  ...coreHolders,
  ...evaluations,
  ...unmatched,
  ...deliverability,
];
