import { esc, page } from '../html';
import type { Email } from '../send';

export interface ActivationMail {
  to: string;
  language: 'nl' | 'en';
  name: string;
  link: string;
  validDays: number;
}

/** The activation e-mail: the one-time link (carrying `token=`), Dutch by default. */
export function activationEmail(m: ActivationMail): Email {
  if (m.language === 'en') {
    const subject = 'Activate your PE registration';
    const text = `Dear ${m.name},

Use this link to activate your PE registration and get access to your personal dossier:

${m.link}

The link works once and is valid for ${m.validDays} days. If you did not ask for this, you can ignore this e-mail.

PE-register`;
    const html = page('en', subject, `<p>Dear ${esc(m.name)},</p>
<p>Use the link below to activate your PE registration and get access to your personal dossier.</p>
<p><a href="${esc(m.link)}">Activate my PE registration</a></p>
<p>The link works once and is valid for ${m.validDays} days. If you did not ask for this, you can ignore this e-mail.</p>`);
    return { to: m.to, subject, text, html, language: 'en' };
  }
  const subject = 'Activeer je PE-registratie';
  const text = `Beste ${m.name},

Met deze link activeer je je PE-registratie en krijg je toegang tot je persoonlijke dossier:

${m.link}

De link werkt één keer en is ${m.validDays} dagen geldig. Heb je hier niet om gevraagd? Dan kun je deze e-mail negeren.

PE-register`;
  const html = page('nl', subject, `<p>Beste ${esc(m.name)},</p>
<p>Met de link hieronder activeer je je PE-registratie en krijg je toegang tot je persoonlijke dossier.</p>
<p><a href="${esc(m.link)}">Activeer mijn PE-registratie</a></p>
<p>De link werkt één keer en is ${m.validDays} dagen geldig. Heb je hier niet om gevraagd? Dan kun je deze e-mail negeren.</p>`);
  return { to: m.to, subject, text, html, language: 'nl' };
}
