import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, type FormError } from '../../shared/web/components';
import { FileField, TextArea } from '../../shared/web/fields';
import { VerificationResult } from '../../shared/web/credential';
import { verifyCredential, type CredentialVerification } from '../../shared/services/credentials';

/*
 * /register/verifieer (issue 18): "Bewijs controleren" — a hirer pastes a credential (**Bewijs**)
 * or uploads its file (**Bestand**) and reads, in plain words, whether the signature holds,
 * whether it is valid today, whether it was withdrawn and whose it is. A plain multipart form:
 * it works without JavaScript. The path is static, so it wins over `/register/{registrationNumber}`.
 */

/** A compact JWS of this register is a few kB; anything far longer is not one (and is not parsed). */
const MAX_CREDENTIAL_KIB = 32;

const TEXT_FIELD = 'bewijs';
const FILE_FIELD = 'Bestand';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file as text, or undefined when it is not text (not UTF-8, or control characters a credential never holds). */
function textOf(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return undefined;
  return text.replace(/^\ufeff/, '');
}

/**
 * What to check: a compact JWS wrapped over lines by a mail program is still the one credential
 * (its alphabet has no white space), so white space goes; anything else is passed on as typed.
 */
function credentialInput(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('{') ? trimmed : trimmed.replace(/\s+/g, '');
}

export const handler = pageHandler({
  routes: ['page-credential-verify', 'page-credential-verify-submit'],
  handler: async (ctx) => {
    if (ctx.route.method === 'GET') return verifyPage(ctx, '', []);
    const c = ctx.t.credential;
    const pasted = ctx.form[TEXT_FIELD] ?? '';
    const file = ctx.files[FILE_FIELD];
    const errors: FormError[] = [];
    let text = pasted;
    if (file) {
      const fromFile = file.bytes.length > MAX_CREDENTIAL_KIB * 1024 ? undefined : textOf(file.bytes);
      if (file.bytes.length > MAX_CREDENTIAL_KIB * 1024) errors.push({ field: FILE_FIELD, message: c.errorTooLarge(MAX_CREDENTIAL_KIB) });
      else if (fromFile === undefined || !fromFile.trim()) errors.push({ field: FILE_FIELD, message: c.errorNotText });
      if (pasted.trim()) errors.push({ field: TEXT_FIELD, message: c.errorBoth });
      text = fromFile ?? '';
    } else if (!pasted.trim()) {
      errors.push({ field: TEXT_FIELD, message: c.errorNone });
    } else if (Buffer.byteLength(pasted) > MAX_CREDENTIAL_KIB * 1024) {
      errors.push({ field: TEXT_FIELD, message: c.errorTooLarge(MAX_CREDENTIAL_KIB) });
    }
    if (errors.length) {
      errors.sort((a, b) => [TEXT_FIELD, FILE_FIELD].indexOf(a.field) - [TEXT_FIELD, FILE_FIELD].indexOf(b.field));
      return { ...verifyPage(ctx, pasted, errors), status: 400 };
    }
    const result = await verifyCredential(credentialInput(text), ctx.today);
    return verifyPage(ctx, '', [], result);
  },
});

function verifyPage(ctx: PageContext, pasted: string, errors: FormError[], result?: CredentialVerification): Extract<PageResult, { title: string }> {
  const { t, lang } = ctx;
  const c = t.credential;
  return {
    title: c.verifyTitle,
    body: (
      <>
        <Heading>{c.verifyTitle}</Heading>
        <ErrorSummary t={t} errors={errors} />
        {result ? <VerificationResult t={t} lang={lang} result={result} /> : <Paragraph lead>{c.verifyLead}</Paragraph>}
        {result ? <Heading level={2}>{c.checkAnother}</Heading> : null}
        <Form action="/register/verifieer" csrf={ctx.csrf} label={c.formLabel} enctype="multipart/form-data">
          <TextArea name={TEXT_FIELD} label={c.fieldText} description={c.fieldTextHint} value={pasted} errors={errors} rows={6} />
          <FileField name={FILE_FIELD} label={c.fieldFile} description={c.fieldFileHint} accept=".jwt,.txt,application/vc+jwt,application/jwt,text/plain" errors={errors} />
          <SubmitButton>{c.submit}</SubmitButton>
        </Form>
        <Heading level={2}>{c.aboutHeading}</Heading>
        <Paragraph>{c.about}</Paragraph>
        <Paragraph>
          <Link href="/register">{c.searchRegister}</Link>
        </Paragraph>
      </>
    ),
  };
}
