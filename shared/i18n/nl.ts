/**
 * The Dutch message catalogue: every text the pages and e-mails show, by key. `en.ts` has the
 * same keys (its type is `Messages`, so a key missing or extra there fails the type check).
 * Sections per area keep each page's texts together. Texts with values are functions.
 */
/**
 * A number as a text shows it (`7,5`, formatted by the caller with `formatPoints`), with the value
 * its plural follows: a catalogue text cannot call the formatters (they import the catalogue).
 */
export interface Amount {
  value: number;
  shown: string;
}

const punten = (a: Amount) => `${a.shown} ${a.value === 1 ? 'punt' : 'punten'}`;
const dagen = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagen'}`;

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
  /**
   * The e-mails (shared/email/templates), one sub-object per mail. Dates and amounts arrive
   * formatted (`formatDate`, `formatMoney`, `formatPoints`); counts that choose a plural as numbers.
   * Mails say "je" to participants, "u" to an organisation's administration (invoices).
   */
  email: {
    footer: 'PE-register — permanente educatie uitzendbranche',
    signature: 'PE-register',
    greeting: (name: string) => `Beste ${name},`,
    /** Points with their unit: `1 punt`, `7,5 punten`. */
    points: punten,
    activation: {
      subject: 'Activeer je PE-registratie',
      lead: 'Met deze link activeer je je PE-registratie en krijg je toegang tot je persoonlijke dossier:',
      leadHtml: 'Met de link hieronder activeer je je PE-registratie en krijg je toegang tot je persoonlijke dossier.',
      linkText: 'Activeer mijn PE-registratie',
      validity: (days: number) => `De link werkt één keer en is ${dagen(days)} geldig. Heb je hier niet om gevraagd? Dan kun je deze e-mail negeren.`,
    },
    credits: {
      subject: (total: Amount) => `PE-punten bijgeschreven: je hebt nu ${punten(total)}`,
      lead: 'Er zijn punten bijgeschreven op je PE-registratie:',
      line: (activity: string, points: Amount, completedOn: string) => `${activity}: ${punten(points)} (afgerond op ${completedOn})`,
      total: (total: string) => `Je totaal in deze periode: ${total}.`,
      missing: (missing: Amount, lastValidDay: string) => `Je hebt nog ${punten(missing)} nodig; je registratie is geldig tot en met ${lastValidDay}.`,
      complete: (required: number) => `Je hebt de ${required} benodigde punten: je kunt je registratie nu verlengen.`,
      dossier: 'Je dossier',
      linkText: 'Open je dossier',
    },
    decision: {
      reasonHeading: 'Toelichting van de beoordelaar',
      reference: (requestId: string) => `Aanvraagnummer: ${requestId}`,
      approved: {
        subject: (title: string) => `Erkenning toegekend: ${title}`,
        lead: (title: string, points: Amount, from: string, lastDay: string) =>
          `Je aanvraag voor PE-erkenning van "${title}" is goedgekeurd. De activiteit levert ${punten(points)} op en is erkend van ${from} tot en met ${lastDay}.`,
        next: (activityId: string) => `Gebruik activiteitnummer ${activityId} wanneer je afrondingen van deelnemers meldt.`,
      },
      rejected: {
        subject: (title: string) => `Erkenning afgewezen: ${title}`,
        lead: (title: string) => `Je aanvraag voor PE-erkenning van "${title}" is afgewezen.`,
        next: 'Je kunt voor deze activiteit een nieuwe aanvraag indienen.',
      },
      changesRequested: {
        subject: (title: string) => `Aanpassing gevraagd: ${title}`,
        lead: (title: string) => `Voordat we je aanvraag voor PE-erkenning van "${title}" kunnen beoordelen, vragen we je om aanpassingen.`,
        next: 'Pas de aanvraag aan en dien dezelfde aanvraag opnieuw in; daarna beoordelen we haar opnieuw.',
      },
    },
    invoice: {
      /** `what`: the document's title (`Factuur`, `Creditnota`, …; shared/invoices/model.ts documentTitle). */
      subject: (what: string, number: string) => `${what} ${number} — PE-register`,
      greetingCollective: 'Geachte heer/mevrouw,',
      lead: (what: string, number: string, issuedOn: string, about: string, total: string) => `Bijgaand ${what.toLowerCase()} ${number} van ${issuedOn} voor ${about}: ${total} inclusief btw.`,
      aboutCollective: (from: string, to: string, registrations: number) =>
        `de registratiekosten van uw medewerkers over ${from} t/m ${to} (${registrations} ${registrations === 1 ? 'registratie' : 'registraties'})`,
      aboutIndividual: (from: string, to: string) => `je PE-registratie van ${from} t/m ${to}`,
      supplement: (number: string, issuedOn: string) => `Deze factuur is een aanvulling op factuur ${number} van ${issuedOn}.`,
      dueCollective: (days: number, dueOn: string, iban: string, number: string) =>
        `Wij verzoeken u het bedrag binnen ${days} dagen, uiterlijk ${dueOn}, over te maken op IBAN ${iban} onder vermelding van ${number}.`,
      dueIndividual: (days: number, dueOn: string, iban: string, number: string) =>
        `We vragen je het bedrag binnen ${days} dagen, uiterlijk ${dueOn}, over te maken op IBAN ${iban} onder vermelding van ${number}.`,
      corrects: (number: string) => `Deze creditnota corrigeert factuur ${number}.`,
      attachedCollective: (what: string, eInvoice: boolean) => `In de bijlage vindt u de ${what.toLowerCase()} als PDF${eInvoice ? ' en als e-factuur (UBL)' : ''}.`,
      attachedIndividual: (what: string, eInvoice: boolean) => `In de bijlage vind je de ${what.toLowerCase()} als PDF${eInvoice ? ' en als e-factuur (UBL)' : ''}.`,
    },
    expiry: {
      subjectMissing: (lastValidDay: string, missing: Amount) => `Je PE-registratie is geldig tot en met ${lastValidDay}: nog ${punten(missing)} nodig`,
      subjectRenew: (lastValidDay: string) => `Verleng je PE-registratie uiterlijk ${lastValidDay}`,
      /** `days`: days it is still valid, today included. */
      lead: (title: string, lastValidDay: string, days: number) => `Je PE-registratie als ${title} is geldig tot en met ${lastValidDay}, nog ${dagen(days)}.`,
      pointsHeading: 'Je punten',
      earned: (earned: Amount, required: number) => `Je hebt in deze periode ${punten(earned)} van de ${required} behaald.`,
      missing: (missing: Amount) => `Er ontbreken nog ${punten(missing)}.`,
      complete: 'Je hebt alle benodigde punten.',
      todoHeading: 'Wat kun je doen?',
      todo: (lastValidDay: string) =>
        `Rond uiterlijk ${lastValidDay} erkende activiteiten af om de ontbrekende punten te halen. In de scholingskalender vind je activiteiten die binnenkort beginnen.`,
      catalogueLink: 'Bekijk komende activiteiten in de scholingskalender',
      warning: (required: number, lastValidDay: string) =>
        `Met ${required} punten kun je je registratie verlengen. Zonder verlenging vervalt je registratie na ${lastValidDay}, en daarmee je titel en je vermelding in het openbare register.`,
      renewHeading: 'Verlengen',
      renew: (lastValidDay: string) =>
        `Verleng nu je registratie: de nieuwe periode sluit aan op ${lastValidDay}, de laatste dag van deze periode, zodat je titel en je vermelding in het openbare register blijven.`,
      renewLink: 'Verleng mijn PE-registratie',
    },
    lapse: {
      subject: 'Je PE-registratie is verlopen',
      whatHeading: 'Wat is er verlopen?',
      what: (title: string, startsOn: string, lastValidDay: string) =>
        `Je PE-registratie als ${title} (periode ${startsOn} tot en met ${lastValidDay}) was geldig tot en met ${lastValidDay} en is verlopen, omdat ze niet is verlengd. Je voert de titel ${title} niet meer en je staat niet meer in het openbare register.`,
      diploma: 'Je diploma blijft geldig: dat verloopt niet.',
      howHeading: 'Opnieuw registreren',
      how: 'Wil je weer geregistreerd zijn? Vraag een activeringsmail aan en rond de activering af. Je nieuwe registratieperiode begint op de dag dat je de activering afrondt en duurt twee jaar. Voor de nieuwe periode is registratiegeld verschuldigd.',
      linkText: 'Heractiveer mijn PE-registratie',
    },
    digest: {
      /** `month`: `januari 2027`. */
      subject: (month: string, employees: number) => `PE-overzicht ${month}: ${employees} ${employees === 1 ? 'medewerker' : 'medewerkers'} met een aflopende registratie`,
      lead: (employees: number, asOf: string) =>
        `Van ${employees} van je medewerkers verloopt de PE-registratie binnen 90 dagen, terwijl er nog punten ontbreken (stand van ${asOf}).`,
      line: (name: string, registrationNumber: string, lastValidDay: string, earned: Amount, missing: Amount) =>
        `${name} (${registrationNumber}): geldig tot en met ${lastValidDay}, ${punten(earned)} behaald, nog ${punten(missing)} nodig`,
      tableHeading: 'Medewerkers met ontbrekende punten',
      caption: 'Registraties die binnen 90 dagen verlopen',
      columns: { name: 'Naam', registrationNumber: 'Registratienummer', lastValidDay: 'Geldig tot en met', earned: 'Punten behaald', missing: 'Punten nodig' },
      why: 'Een registratie kan alleen worden verlengd met 12 punten. Zonder verlenging vervallen na de laatste geldige dag de titel van je medewerker en diens vermelding in het openbare register.',
      linkText: 'Bekijk de volledige rapportage van je medewerkers',
    },
  },
};

export type Messages = typeof nl;
