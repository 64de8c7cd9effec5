import type { PersonalDataHolder } from './holder';
import { coreHolders } from './core';
import { holders as evaluations } from './evaluations';
import { holders as unmatched } from './unmatched';
import { holders as deliverability } from './deliverability';
import { holders as credentials } from './credentials';

export type { ErasureContext, PersonalDataHolder } from './holder';

/**
 * Every holder of a participant's personal data: the core holders (profile, periods, credits,
 * links, audit events, outboxes, sessions, …), then those of the parts that keep more.
 */
export const personalDataHolders: PersonalDataHolder[] = [
  ...coreHolders,
  ...evaluations,
  ...unmatched,
  ...deliverability,
  ...credentials,
];
