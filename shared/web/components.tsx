import type { ComponentChildren } from 'preact';
import type { Language, Messages } from '../i18n';
import { formatPoints } from '../i18n';
import { assetUrl } from './assets';
import { CSRF_FIELD } from './session';

/*
 * The recurring parts of every page (WEB.md), on the NL Design System's Utrecht CSS components.
 * Everything is rendered by preact-render-to-string, which escapes every text and attribute: no
 * component builds HTML from strings. A page passes its texts from the catalogue (`t`).
 */

/** One bad field of a form: `field` is the input's name (and id); `message` says what to do. */
export interface FormError {
  field: string;
  message: string;
}

export interface Viewer {
  /** The signed-in person's display name, or undefined. */
  name?: string;
  /** Their home page (`/dossier`, later `/werkgever`, `/opleider`, `/beheer`). */
  home?: string;
  /** The session's CSRF token, for the sign-out form. */
  csrf?: string;
}

export interface LayoutProps {
  lang: Language;
  t: Messages;
  title: string;
  /** The path + query of this page, for the language switch. */
  path: string;
  viewer: Viewer;
  children: ComponentChildren;
}

/** The link to this page in the other language (`?lang=` sets the cookie; other query values stay). */
function otherLanguageHref(path: string, other: Language): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', other);
  // A link's token is never repeated: the language switch on a token landing goes to the form.
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

export function Layout({ lang, t, title, path, viewer, children }: LayoutProps) {
  const other: Language = lang === 'nl' ? 'en' : 'nl';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t.site.name}`}</title>
        <link rel="stylesheet" href={assetUrl('app.css')} />
      </head>
      <body class="utrecht-theme utrecht-body utrecht-document utrecht-document--surface">
        <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
          {t.site.skipLink}
        </a>
        <div class="pe-page">
          <header class="pe-header">
            <a class="utrecht-link pe-site-name" href="/">
              {t.site.name}
            </a>
            <nav aria-label={t.site.mainNav}>
              <ul>
                <li>
                  <a class="utrecht-link" href="/register">
                    {t.site.navRegister}
                  </a>
                </li>
                <li>
                  <a class="utrecht-link" href="/scholingskalender">
                    {t.site.navCatalogue}
                  </a>
                </li>
                {viewer.home ? (
                  <>
                    <li>
                      <a class="utrecht-link" href={viewer.home ?? '/'}>
                        {viewer.home === '/dossier' ? t.site.navDossier : t.site.navHome}
                      </a>
                    </li>
                    <li>
                      <form class="pe-inline-form" method="post" action="/uitloggen">
                        <input type="hidden" name={CSRF_FIELD} value={viewer.csrf ?? ''} />
                        <button type="submit" class="utrecht-link-button utrecht-link-button--html-button">
                          {t.site.navSignOut}
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a class="utrecht-link" href="/activeren">
                        {t.site.navActivate}
                      </a>
                    </li>
                    <li>
                      <a class="utrecht-link" href="/inloggen">
                        {t.site.navSignIn}
                      </a>
                    </li>
                  </>
                )}
                <li>
                  <a class="utrecht-link" href={otherLanguageHref(path, other)} lang={other} hreflang={other}>
                    {t.site.switchTo}
                  </a>
                </li>
              </ul>
            </nav>
          </header>
          {viewer.name ? <p class="utrecht-paragraph">{t.site.signedInAs(viewer.name)}</p> : null}
          <main id="inhoud" class="utrecht-page-content" tabIndex={-1}>
            {children}
          </main>
          <footer class="pe-footer">
            <p class="utrecht-paragraph">{t.site.footer}</p>
          </footer>
        </div>
      </body>
    </html>
  );
}

export function Heading({ level = 1, children }: { level?: 1 | 2 | 3; children: ComponentChildren }) {
  const Tag = `h${level}` as 'h1' | 'h2' | 'h3';
  return <Tag class={`utrecht-heading-${level}`}>{children}</Tag>;
}

export function Paragraph({ children, lead }: { children: ComponentChildren; lead?: boolean }) {
  return <p class={lead ? 'utrecht-paragraph utrecht-paragraph--lead' : 'utrecht-paragraph'}>{children}</p>;
}

export function Link({ href, children, download }: { href: string; children: ComponentChildren; download?: boolean }) {
  return (
    <a class="utrecht-link" href={href} download={download}>
      {children}
    </a>
  );
}

/** A status message: `role="status"` for news, `alert` for errors. */
export function Alert({ type = 'info', children }: { type?: 'info' | 'ok' | 'warning' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' ? 'alert' : 'status'}>
      <div class="utrecht-alert__content">{children}</div>
    </div>
  );
}

/** The form errors at the top, each linked to its field (focus moves there on click). */
export function ErrorSummary({ t, errors }: { t: Messages; errors: FormError[] }) {
  if (!errors.length) return null;
  return (
    <div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="foutmeldingen-titel">
      <div class="utrecht-alert__content">
        <h2 class="utrecht-heading-2" id="foutmeldingen-titel">
          {t.errors.summaryTitle}
        </h2>
        <ul class="utrecht-unordered-list">
          {errors.map((e) => (
            <li class="utrecht-unordered-list__item" key={e.field}>
              <a class="utrecht-link" href={`#${e.field}`}>
                {e.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** A form that posts (with the CSRF token) or gets. */
export function Form({
  action,
  method = 'post',
  csrf,
  children,
  label,
  enctype,
}: {
  action: string;
  method?: 'post' | 'get';
  csrf?: string;
  children: ComponentChildren;
  /** An accessible name when a page has several forms. */
  label?: string;
  /** `multipart/form-data` for a file upload. */
  enctype?: 'multipart/form-data';
}) {
  return (
    <form class="utrecht-form" action={action} method={method} noValidate aria-label={label} enctype={enctype}>
      {method === 'post' ? <input type="hidden" name={CSRF_FIELD} value={csrf ?? ''} /> : null}
      {children}
    </form>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  /** What was typed (kept after an error). */
  value?: string;
  errors?: FormError[];
  type?: 'text' | 'email' | 'date' | 'search' | 'number';
  description?: string;
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'text' | 'numeric' | 'email' | 'search';
}

/**
 * The frame every form field shares: its label, its description, its error next to it, and the
 * ids the control points at (`aria-describedby`); the control itself is the child, with id = name
 * so the error summary's `#<field>` link lands on it.
 */
export function FieldFrame({ name, label, description, error, kind, children }: { name: string; label: string; description?: string; error?: FormError; kind?: string; children: ComponentChildren }) {
  return (
    <div class={`utrecht-form-field${kind ? ` utrecht-form-field--${kind}` : ''}${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={name}>
          {label}
        </label>
      </div>
      {description ? (
        <div class="utrecht-form-field-description" id={`${name}-hint`}>
          {description}
        </div>
      ) : null}
      {error ? (
        <div class="utrecht-form-field-error-message" id={`${name}-fout`}>
          {error.message}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">{children}</div>
    </div>
  );
}

/** The error of this field among a form's errors, and the ids its control is described by. */
export function fieldState(name: string, errors: FormError[], description?: string): { error?: FormError; describedBy?: string } {
  const error = errors.find((e) => e.field === name);
  const describedBy = [description ? `${name}-hint` : '', error ? `${name}-fout` : ''].filter(Boolean).join(' ') || undefined;
  return { error, describedBy };
}

/** A labelled text field, its description and its error next to it (and `aria-invalid`). */
export function TextField({ name, label, value, errors = [], type = 'text', description, autocomplete, required, inputMode }: FieldProps) {
  const { error, describedBy } = fieldState(name, errors, description);
  return (
    <FieldFrame name={name} label={label} description={description} error={error} kind="text">
      <input
        {...({ type } as { type: 'text' })}
        class={`utrecht-textbox utrecht-textbox--html-input${error ? ' utrecht-textbox--invalid' : ''}`}
        id={name}
        name={name}
        value={value ?? ''}
        autocomplete={autocomplete}
        required={required}
        inputMode={inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </FieldFrame>
  );
}

export function SelectField({
  name,
  label,
  value,
  options,
  errors = [],
}: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  errors?: FormError[];
}) {
  const { error, describedBy } = fieldState(name, errors);
  return (
    <FieldFrame name={name} label={label} error={error}>
      <select class="utrecht-select utrecht-select--html-select" id={name} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function SubmitButton({ children, secondary }: { children: ComponentChildren; secondary?: boolean }) {
  return (
    <button type="submit" class={`utrecht-button ${secondary ? 'utrecht-button--secondary-action' : 'utrecht-button--primary-action'}`}>
      {children}
    </button>
  );
}

/** A table with a caption (its accessible name) and column headers. */
export function Table({ caption, headers, rows }: { caption: string; headers: string[]; rows: ComponentChildren[][] }) {
  return (
    <div class="utrecht-table-container">
      <table class="utrecht-table utrecht-table--html-table">
        <caption class="utrecht-table__caption">{caption}</caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            {headers.map((h) => (
              <th class="utrecht-table__header-cell" scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {rows.map((cells, i) => (
            <tr class="utrecht-table__row" key={i}>
              {cells.map((c, j) => (
                <td class="utrecht-table__cell" key={j}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Points towards the 12 as a native progress bar, labelled with the same words it shows. */
export function PointsProgress({ lang, earned, required, label }: { lang: Language; earned: number; required: number; label: string }) {
  return (
    <div class="utrecht-form-field">
      <label class="utrecht-form-label" for="voortgang">
        {label}
      </label>
      <progress class="pe-progress" id="voortgang" max={required} value={Math.min(earned, required)}>
        {`${formatPoints(lang, earned)} / ${formatPoints(lang, required)}`}
      </progress>
    </div>
  );
}

/** Label–value pairs of one thing (a register entry, an activity) as a description list. */
export function DataList({ items }: { items: { key: string; value: ComponentChildren }[] }) {
  return (
    <dl class="utrecht-data-list utrecht-data-list--rows">
      {items.map((item) => (
        <div class="utrecht-data-list__item" key={item.key}>
          <dt class="utrecht-data-list__item-key">{item.key}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A link that leads to an action (a confirmation page), looking like a button. */
export function ButtonLink({ href, children, secondary }: { href: string; children: ComponentChildren; secondary?: boolean }) {
  return (
    <a class={`utrecht-button-link utrecht-button-link--html-a ${secondary ? 'utrecht-button-link--secondary-action' : 'utrecht-button-link--primary-action'}`} href={href}>
      {children}
    </a>
  );
}

/**
 * The frame of a group of choices (radio buttons, checkboxes): a fieldset whose legend is the
 * question, its description and its error; the first choice carries the group's id (`#<name>`).
 */
export function FieldsetFrame({ name, legend, description, error, children }: { name: string; legend: string; description?: string; error?: FormError; children: ComponentChildren }) {
  const { describedBy } = fieldState(name, error ? [error] : [], description);
  return (
    <fieldset class={`utrecht-form-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}`} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}>
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{legend}</legend>
      {description ? (
        <div class="utrecht-form-field-description" id={`${name}-hint`}>
          {description}
        </div>
      ) : null}
      {error ? (
        <div class="utrecht-form-field-error-message" id={`${name}-fout`}>
          {error.message}
        </div>
      ) : null}
      {children}
    </fieldset>
  );
}

/** Radio buttons in a fieldset whose legend is the question; the error next to them and at the top (`#<name>` is the first option). */
export function RadioGroup({
  name,
  legend,
  value,
  options,
  errors = [],
  description,
}: {
  name: string;
  legend: string;
  value?: string;
  options: { value: string; label: string }[];
  errors?: FormError[];
  description?: string;
}) {
  const { error } = fieldState(name, errors);
  return (
    <FieldsetFrame name={name} legend={legend} description={description} error={error}>
      {options.map((o, i) => {
        const id = i === 0 ? name : `${name}-${o.value}`;
        return (
          <div class="utrecht-form-field utrecht-form-field--radio" key={o.value}>
            <input
              type="radio"
              class="utrecht-radio-button utrecht-radio-button--html-input"
              id={id}
              name={name}
              value={o.value}
              checked={o.value === value}
              aria-invalid={error ? 'true' : undefined}
            />{' '}
            <label class="utrecht-form-label utrecht-form-label--radio" for={id}>
              {o.label}
            </label>
          </div>
        );
      })}
    </FieldsetFrame>
  );
}
