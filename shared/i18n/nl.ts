/**
 * The Dutch message catalogue: every text the pages and e-mails show, by key. `en.ts` has the
 * same keys (its type is `Messages`, so a key missing or extra there fails the type check).
 * Sections per area keep each page's texts together. Texts with values are functions.
 */
export const nl = {
  site: {
    name: 'PE-register',
    tagline: 'Permanente educatie in de uitzendbranche',
    skipLink: 'Naar de inhoud',
    mainNav: 'Hoofdmenu',
    navRegister: 'Register',
    navCatalogue: 'Scholingskalender',
    navActivate: 'Activeren',
    navSignIn: 'Inloggen',
    navSignOut: 'Uitloggen',
    navDossier: 'Mijn dossier',
    languageNav: 'Taal',
    /** The switch shows the other language, in that language. */
    switchTo: 'English',
    footer: 'PE-register voor de uitzendbranche',
    signedInAs: (name: string) => `Ingelogd als ${name}`,
  },
  errors: {
    summaryTitle: 'Er is iets niet goed ingevuld',
    required: (label: string) => `Vul ${label.toLowerCase()} in`,
    invalid: (label: string) => `${label} is niet goed ingevuld`,
    notFoundTitle: 'Pagina niet gevonden',
    notFoundText: 'Deze pagina bestaat niet (meer), of u heeft er geen toegang toe.',
    serverTitle: 'Er ging iets mis',
    serverText: (id: string) => `Er ging aan onze kant iets mis. Probeer het later opnieuw. Noem deze code als u contact opneemt: ${id}`,
    tooManyTitle: 'Te veel pogingen',
    tooManyText: (minutes: number) => `U heeft het te vaak geprobeerd. Probeer het over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} opnieuw.`,
    forbiddenTitle: 'Niet toegestaan',
    forbiddenText: 'Dit formulier is verlopen of kwam niet van deze site. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
    badRequestTitle: 'Ongeldig verzoek',
    backHome: 'Naar de startpagina',
  },
  home: {},
  register: {},
  catalogue: {},
  activation: {},
  signIn: {},
  dossier: {},
  email: {},
};

export type Messages = typeof nl;
