import type { PersonalDataHolder } from './holder';

/** The personal data of issue 16's evaluations part (filled in by that part). */
export const holders: PersonalDataHolder[] = [];
