import type { Amount, Messages } from './nl';

const points = (a: Amount) => `${a.shown} ${a.value === 1 ? 'point' : 'points'}`;
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** The English catalogue: the same keys as nl.ts (the type says so). */
export const en: Messages = {
  site: {
    name: 'PE register',
    tagline: 'Continuing professional education in the staffing sector',
    skipLink: 'Skip to content',
    mainNav: 'Main menu',
    navRegister: 'Register',
    navCatalogue: 'Course calendar',
    navActivate: 'Activate',
    navSignIn: 'Sign in',
    navSignOut: 'Sign out',
    navDossier: 'My dossier',
    languageNav: 'Language',
    switchTo: 'Nederlands',
    footer: 'PE register for the staffing sector',
    signedInAs: (name: string) => `Signed in as ${name}`,
  },
  errors: {
    summaryTitle: 'Something is not filled in correctly',
    required: (label: string) => `Enter ${label.toLowerCase()}`,
    invalid: (label: string) => `${label} is not valid`,
    notFoundTitle: 'Page not found',
    notFoundText: 'This page does not exist (any more), or you have no access to it.',
    serverTitle: 'Something went wrong',
    serverText: (id: string) => `Something went wrong on our side. Please try again later. Quote this code if you contact us: ${id}`,
    tooManyTitle: 'Too many attempts',
    tooManyText: (minutes: number) => `You have tried too often. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    forbiddenTitle: 'Not allowed',
    forbiddenText: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
    badRequestTitle: 'Invalid request',
    backHome: 'To the home page',
  },
  home: {},
  register: {},
  catalogue: {},
  activation: {},
  signIn: {},
  dossier: {},
  email: {
    footer: 'PE-register — continuing professional education in the staffing sector',
    signature: 'PE-register',
    greeting: (name: string) => `Dear ${name},`,
    points,
    activation: {
      subject: 'Activate your PE registration',
      lead: 'Use this link to activate your PE registration and get access to your personal dossier:',
      leadHtml: 'Use the link below to activate your PE registration and get access to your personal dossier.',
      linkText: 'Activate my PE registration',
      validity: (n: number) => `The link works once and is valid for ${days(n)}. If you did not ask for this, you can ignore this e-mail.`,
    },
    credits: {
      subject: (total: Amount) => `PE points credited: you now have ${points(total)}`,
      lead: 'New points were credited to your PE registration:',
      line: (activity: string, earned: Amount, completedOn: string) => `${activity}: ${points(earned)} (completed ${completedOn})`,
      total: (total: string) => `Your total for this period: ${total}.`,
      missing: (missing: Amount, lastValidDay: string) =>
        `You need ${missing.shown} more ${missing.value === 1 ? 'point' : 'points'}; your registration is valid until and including ${lastValidDay}.`,
      complete: (required: number) => `You have the ${required} points you need: you can renew your registration now.`,
      dossier: 'Your dossier',
      linkText: 'Open your dossier',
    },
    decision: {
      reasonHeading: "The reviewer's explanation",
      reference: (requestId: string) => `Request number: ${requestId}`,
      approved: {
        subject: (title: string) => `Recognition granted: ${title}`,
        lead: (title: string, worth: Amount, from: string, lastDay: string) =>
          `Your request for PE recognition of "${title}" has been approved. The activity is worth ${points(worth)} and is recognised from ${from} until and including ${lastDay}.`,
        next: (activityId: string) => `Use activity number ${activityId} when you report participants' completions.`,
      },
      rejected: {
        subject: (title: string) => `Recognition refused: ${title}`,
        lead: (title: string) => `Your request for PE recognition of "${title}" has been refused.`,
        next: 'You can submit a new request for this activity.',
      },
      changesRequested: {
        subject: (title: string) => `Changes requested: ${title}`,
        lead: (title: string) => `Before we can review your request for PE recognition of "${title}", we ask you to make changes.`,
        next: 'Change the request and submit the same request again; we will then review it again.',
      },
    },
    invoice: {
      subject: (what: string, number: string) => `${what} ${number} — PE-register`,
      greetingCollective: 'Dear Sir or Madam,',
      lead: (what: string, number: string, issuedOn: string, about: string, total: string) => `Attached is ${what.toLowerCase()} ${number} of ${issuedOn} for ${about}: ${total} including VAT.`,
      aboutCollective: (from: string, to: string, registrations: number) =>
        `the registration fees of your employees from ${from} to ${to} (${registrations} ${registrations === 1 ? 'registration' : 'registrations'})`,
      aboutIndividual: (from: string, to: string) => `your PE registration from ${from} to ${to}`,
      supplement: (number: string, issuedOn: string) => `It supplements invoice ${number} of ${issuedOn}.`,
      dueCollective: (n: number, dueOn: string, iban: string, number: string) => `Please pay within ${n} days, by ${dueOn}, to IBAN ${iban}, quoting ${number}.`,
      dueIndividual: (n: number, dueOn: string, iban: string, number: string) => `Please pay within ${n} days, by ${dueOn}, to IBAN ${iban}, quoting ${number}.`,
      corrects: (number: string) => `This credit note corrects invoice ${number}.`,
      attachedCollective: (what: string, eInvoice: boolean) => `The ${what.toLowerCase()} is attached as a PDF${eInvoice ? ' and as an e-invoice (UBL)' : ''}.`,
      attachedIndividual: (what: string, eInvoice: boolean) => `The ${what.toLowerCase()} is attached as a PDF${eInvoice ? ' and as an e-invoice (UBL)' : ''}.`,
    },
    expiry: {
      subjectMissing: (lastValidDay: string, missing: Amount) => `Your PE registration is valid until and including ${lastValidDay}: ${points(missing)} still needed`,
      subjectRenew: (lastValidDay: string) => `Renew your PE registration by ${lastValidDay}`,
      lead: (title: string, lastValidDay: string, n: number) => `Your PE registration as ${title} is valid until and including ${lastValidDay}, ${days(n)} left.`,
      pointsHeading: 'Your points',
      earned: (earned: Amount, required: number) => `You have earned ${points(earned)} of the ${required} in this period.`,
      missing: (missing: Amount) => `${points(missing)} still missing.`,
      complete: 'You have all the points you need.',
      todoHeading: 'What you can do',
      todo: (lastValidDay: string) => `Complete recognised activities on or before ${lastValidDay} to earn the missing points. The catalogue lists activities starting soon.`,
      catalogueLink: 'See upcoming activities in the catalogue',
      warning: (required: number, lastValidDay: string) =>
        `With ${required} points you can renew your registration. Without a renewal it lapses after ${lastValidDay}, and with it your title and your entry in the public register.`,
      renewHeading: 'Renewing',
      renew: (lastValidDay: string) =>
        `Renew your registration now: the new period follows on from ${lastValidDay}, the last day of this one, so you keep your title and your entry in the public register.`,
      renewLink: 'Renew my PE registration',
    },
    lapse: {
      subject: 'Your PE registration has lapsed',
      whatHeading: 'What has lapsed?',
      what: (title: string, startsOn: string, lastValidDay: string) =>
        `Your PE registration as ${title} (period ${startsOn} to ${lastValidDay}) was valid until and including ${lastValidDay} and has lapsed because it was not renewed. You no longer hold the title ${title} and you are no longer listed in the public register.`,
      diploma: 'Your diploma stays valid: it does not expire.',
      howHeading: 'Registering again',
      how: 'Want to be registered again? Ask for an activation e-mail and complete the activation. Your new registration period starts on the day you complete it and runs for two years. A registration fee is due for the new period.',
      linkText: 'Re-activate my PE registration',
    },
    digest: {
      subject: (month: string, employees: number) => `PE overview ${month}: ${employees} ${employees === 1 ? 'employee' : 'employees'} with an expiring registration`,
      lead: (employees: number, asOf: string) =>
        `For ${employees} of your employees the PE registration expires within 90 days while points are still missing (as of ${asOf}).`,
      line: (name: string, registrationNumber: string, lastValidDay: string, earned: Amount, missing: Amount) =>
        `${name} (${registrationNumber}): valid until and including ${lastValidDay}, ${points(earned)} earned, ${points(missing)} still needed`,
      tableHeading: 'Employees with points missing',
      caption: 'Registrations that expire within 90 days',
      columns: { name: 'Name', registrationNumber: 'Registration number', lastValidDay: 'Valid until and including', earned: 'Points earned', missing: 'Points needed' },
      why: "A registration can only be renewed with 12 points. Without a renewal, your employee's title and their entry in the public register lapse after the last valid day.",
      linkText: 'See the full report on your employees',
    },
  },
};
