/** The hidden field in which "Deze medewerkers registreren" carries an inventory's registrable rows (JSON) to /werkgever/registreren. */
export const CARRY_OVER_FIELD = 'rijen';
