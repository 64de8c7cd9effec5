import type { PersonalDataHolder } from './holder';

/** The personal data of issue 16's deliverability part (filled in by that part). */
export const holders: PersonalDataHolder[] = [];
