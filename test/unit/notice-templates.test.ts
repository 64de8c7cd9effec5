import { describe, expect, it } from 'vitest';
import { buildMime } from '../../shared/email/send';
import { employerDigestEmail, noticeEmail, type NoticeMail } from '../../shared/email/templates/notices';
import { creditsEmail } from '../../shared/email/templates/credits';
import { decisionEmail } from '../../shared/email/templates/decision';

const base: NoticeMail = {
  to: 'deelnemer@example.nl',
  language: 'nl',
  kind: '30',
  name: 'J.P. de Vries',
  title: 'Register-Uitzendprofessional',
  asOf: '2027-01-30',
  startsOn: '2025-03-01',
  endsOn: '2027-03-01',
  pointsEarned: 4.5,
  pointsRequired: 12,
};

/** Accessible HTML: language, one h1, sub-headings, links with their own words (not a bare URL). */
function expectAccessible(html: string, lang: 'nl' | 'en') {
  expect(html).toContain(`<html lang="${lang}">`);
  expect(html.match(/<h1\b/g)).toHaveLength(1);
  expect(html).toMatch(/<h2\b/);
  for (const [, text] of html.matchAll(/<a href="[^"]+">([^<]+)<\/a>/g)) {
    expect(text).not.toMatch(/^https?:/);
    expect(text.length).toBeGreaterThan(8);
  }
}

describe('countdown notices', () => {
  it.each(['90', '30', '7'] as const)('Dutch %s-day notice: end date, days left, points earned and missing, catalogue link', (kind) => {
    const asOf = { '90': '2026-12-01', '30': '2027-01-30', '7': '2027-02-22' }[kind];
    const mail = noticeEmail({ ...base, kind, asOf });
    expect(mail.language).toBe('nl');
    // endsOn 2027-03-01 is exclusive: the last valid day is 28 February.
    expect(mail.subject).toBe('Je PE-registratie is geldig tot en met 28 februari 2027: nog 7,5 punten nodig');
    expect(mail.text).toContain(`is geldig tot en met 28 februari 2027, nog ${kind} dagen`);
    expect(mail.text).toContain('Rond uiterlijk 28 februari 2027 erkende activiteiten af');
    expect(mail.text).toContain('vervalt je registratie na 28 februari 2027');
    expect(mail.text + mail.html).not.toContain('1 maart 2027');
    expect(mail.text).toContain('4,5 punten van de 12 behaald');
    expect(mail.text).toContain('Er ontbreken nog 7,5 punten');
    expect(mail.text).toContain(`https://pe-register.nl/scholingskalender?from=${asOf}`);
    expect(mail.html).toContain(`<a href="https://pe-register.nl/scholingskalender?from=${asOf}">Bekijk komende activiteiten in de scholingskalender</a>`);
    expect(mail.html).toContain('Er ontbreken nog 7,5 punten');
    expectAccessible(mail.html, 'nl');
  });

  it('English when the participant chose it', () => {
    const mail = noticeEmail({ ...base, language: 'en', kind: '7', asOf: '2027-02-22' });
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe('Your PE registration is valid until and including 28 February 2027: 7.5 points still needed');
    expect(mail.text).toContain('is valid until and including 28 February 2027, 7 days left');
    expect(mail.text).toContain('on or before 28 February 2027');
    expect(mail.text + mail.html).not.toContain('1 March 2027');
    expect(mail.text).toContain('You have earned 4.5 points of the 12');
    expect(mail.html).toContain('>See upcoming activities in the catalogue</a>');
    expect(mail.html).not.toMatch(/punten|verloopt/);
    expectAccessible(mail.html, 'en');
  });

  it('tells a participant with 12 points to renew now instead (both languages)', () => {
    const nl = noticeEmail({ ...base, pointsEarned: 12.5 });
    expect(nl.subject).toBe('Verleng je PE-registratie uiterlijk 28 februari 2027');
    expect(nl.text).toContain('geldig tot en met 28 februari 2027');
    expect(nl.text).toContain('Verleng nu je registratie');
    expect(nl.text).toContain('Je hebt alle benodigde punten');
    expect(nl.text).not.toContain('ontbreken');
    expect(nl.html).toContain('<a href="https://pe-register.nl/dossier">Verleng mijn PE-registratie</a>');
    const en = noticeEmail({ ...base, language: 'en', pointsEarned: 12 });
    expect(en.subject).toBe('Renew your PE registration by 28 February 2027');
    expect(en.text).toContain('valid until and including 28 February 2027');
    expect(en.text).toContain('Renew your registration now');
    expect(en.html).toContain('>Renew my PE registration</a>');
  });

  it('escapes what it did not write itself', () => {
    const mail = noticeEmail({ ...base, name: '<script>x</script> & Co' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; Co');
  });

  it('says 1 punt / 1 day in the singular', () => {
    const mail = noticeEmail({ ...base, pointsEarned: 11, asOf: '2027-02-28' });
    expect(mail.text).toContain('Er ontbreken nog 1 punt.');
    expect(mail.text).toContain('nog 1 dag.');
  });
});

describe('lapse notice', () => {
  it('Dutch: what lapsed (period, title, register entry), the diploma stays valid, how to re-activate', () => {
    const mail = noticeEmail({ ...base, kind: 'lapsed', asOf: '2027-03-01' });
    expect(mail.subject).toBe('Je PE-registratie is verlopen');
    expect(mail.text).toContain('(periode 1 maart 2025 tot en met 28 februari 2027) was geldig tot en met 28 februari 2027 en is verlopen, omdat ze niet is verlengd');
    expect(mail.text).toContain('Je voert de titel Register-Uitzendprofessional niet meer');
    expect(mail.text).toContain('openbare register');
    expect(mail.text).toContain('Je diploma blijft geldig');
    expect(mail.text).toContain('registratiegeld');
    expect(mail.text).toContain('https://pe-register.nl/activeren');
    expect(mail.html).toContain('<a href="https://pe-register.nl/activeren">Heractiveer mijn PE-registratie</a>');
    expectAccessible(mail.html, 'nl');
  });

  it('English', () => {
    const mail = noticeEmail({ ...base, language: 'en', kind: 'lapsed', asOf: '2027-03-05' });
    expect(mail.subject).toBe('Your PE registration has lapsed');
    expect(mail.text).toContain('(period 1 March 2025 to 28 February 2027) was valid until and including 28 February 2027 and has lapsed because it was not renewed');
    expect(mail.text).toContain('Your diploma stays valid');
    expect(mail.html).toContain('>Re-activate my PE registration</a>');
    expectAccessible(mail.html, 'en');
  });

  it('builds into a MIME message with both parts', () => {
    const raw = buildMime(noticeEmail({ ...base, kind: 'lapsed' }));
    expect(raw).toMatch(/Content-Type: text\/plain/i);
    expect(raw).toMatch(/Content-Type: text\/html/i);
    expect(raw).toContain('Content-Language: nl');
  });
});

describe('employer digest', () => {
  const digestOf2027 = {
    to: 'facturen@uitzendbureau.nl',
    employerName: 'Flex & Co',
    month: '2027-01',
    asOf: '2027-01-01',
    employees: [
      { name: 'B. Bakker', registrationNumber: 'PE-BBBBBB', endsOn: '2027-03-20', pointsEarned: 2, pointsMissing: 10 },
      { name: 'A. Jansen', registrationNumber: 'PE-AAAAAA', endsOn: '2027-02-10', pointsEarned: 8.25, pointsMissing: 3.75 },
    ],
  };
  const digest = employerDigestEmail(digestOf2027);

  it('lists every at-risk employee once, soonest end first, with end date and points', () => {
    expect(digest.subject).toBe('PE-overzicht januari 2027: 2 medewerkers met een aflopende registratie');
    const lines = digest.text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- A. Jansen (PE-AAAAAA): geldig tot en met 9 februari 2027, 8,25 punten behaald, nog 3,75 punten nodig',
      '- B. Bakker (PE-BBBBBB): geldig tot en met 19 maart 2027, 2 punten behaald, nog 10 punten nodig',
    ]);
    expect(digest.text).toContain('Beste Flex & Co');
  });

  it('is an accessible data table in Dutch', () => {
    expectAccessible(digest.html, 'nl');
    expect(digest.html).toContain('<caption');
    expect(digest.html).toContain('<th scope="col">Geldig tot en met</th>');
    expect(digest.html).toContain('<td>9 februari 2027</td>');
    expect(digest.html.match(/<th scope="col">/g)).toHaveLength(5);
    expect(digest.html.match(/<th scope="row">/g)).toHaveLength(2);
    expect(digest.html.indexOf('A. Jansen')).toBeLessThan(digest.html.indexOf('B. Bakker'));
    expect(digest.html).toContain('Flex &amp; Co');
    expect(digest.html).toContain('>Bekijk de volledige rapportage van je medewerkers</a>');
  });

  it('names the month in words, in Dutch by default', () => {
    const december = { ...digestOf2027, month: '2026-12' };
    expect(employerDigestEmail(december).subject).toMatch(/^PE-overzicht december 2026: /);
    expect(employerDigestEmail({ ...december, language: 'en' }).subject).toMatch(/^PE overview December 2026: /);
  });
});

describe('other e-mails that name an end date: the last valid day', () => {
  const credits = { to: 'deelnemer@example.nl', name: 'M. de Vries', credited: [{ activityTitle: 'Arbeidsrecht', points: 2, completedOn: '2026-05-04' }], pointsEarned: 4, pointsMissing: 8, endsOn: '2026-12-20' };

  it('the credits e-mail: "geldig tot en met 19 december 2026" for a period ending (exclusive) on 20 December', () => {
    const nl = creditsEmail({ ...credits, language: 'nl' });
    expect(nl.text).toContain('Je hebt nog 8 punten nodig; je registratie is geldig tot en met 19 december 2026.');
    expect(nl.html).toContain('geldig tot en met 19 december 2026');
    expect(nl.text + nl.html).not.toContain('20 december');
    const en = creditsEmail({ ...credits, language: 'en' });
    expect(en.text).toContain('You need 8 more points; your registration is valid until and including 19 December 2026.');
    expect(en.text + en.html).not.toContain('20 December');
  });

  it('the approval e-mail names the last day of recognition', () => {
    const mail = decisionEmail({ to: 'x@opleider.test', name: 'Opleider BV', requestId: 'req_1', title: 'Arbeidsrecht', decision: 'approved', activityId: 'act_1', points: 3, recognizedFrom: '2026-01-15', recognizedUntil: '2028-01-15' });
    expect(mail.text).toContain('erkend van 15 januari 2026 tot en met 14 januari 2028.');
  });
});
