import type { ComponentChildren } from 'preact';
import { FieldFrame, FieldsetFrame, fieldState, type FormError } from './components';

/*
 * Form parts beside components.tsx's text and select fields, in the same shape: label, hint,
 * the error next to the field (aria-invalid, aria-describedby), id = name so the error summary's
 * `#<field>` link lands on it. A group (checkboxes) is a fieldset whose legend names it; its
 * first box carries the group's id.
 */

export function TextArea({ name, label, value, errors = [], description, rows = 5 }: { name: string; label: string; value?: string; errors?: FormError[]; description?: string; rows?: number }) {
  const { error, describedBy } = fieldState(name, errors, description);
  return (
    <FieldFrame name={name} label={label} description={description} error={error} kind="textarea">
      <textarea
        class={`utrecht-textarea utrecht-textarea--html-textarea${error ? ' utrecht-textarea--invalid' : ''}`}
        id={name}
        name={name}
        rows={rows}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      >
        {value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** One checkbox with its label after it. */
export function Checkbox({ name, id, label, checked, value = 'ja', describedBy: described }: { name: string; id?: string; label: string; checked?: boolean; value?: string; describedBy?: string }) {
  const boxId = id ?? name;
  return (
    <div class="utrecht-form-field utrecht-form-field--checkbox">
      <div class="utrecht-form-field__input">
        <input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input" id={boxId} name={name} value={value} checked={checked} aria-describedby={described} />
      </div>
      <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">
        <label class="utrecht-form-label utrecht-form-label--checkbox" for={boxId}>
          {label}
        </label>
      </div>
    </div>
  );
}

/**
 * Checkboxes for a list of choices, each posted under its own name (`<name>_<value>`: the page
 * recipe keeps the first value of each name, so one name repeated would lose the rest).
 */
export function CheckboxGroup({ name, legend, options, checked, errors = [], description }: { name: string; legend: string; options: { value: string; label: string }[]; checked: readonly string[]; errors?: FormError[]; description?: string }) {
  const { error } = fieldState(name, errors);
  return (
    <FieldsetFrame name={name} legend={legend} description={description} error={error}>
      {options.map((o, i) => (
        <Checkbox key={o.value} name={`${name}_${o.value}`} id={i === 0 ? name : `${name}_${o.value}`} label={o.label} checked={checked.includes(o.value)} />
      ))}
    </FieldsetFrame>
  );
}

/** A group of fields under a legend (one session row of a form). */
export function Fieldset({ legend, children }: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class="utrecht-form-fieldset">
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** Text to copy (a URL, a request): preformatted, its own region for screen readers when labelled. */
export function CodeBlock({ children, label }: { children: string; label?: string }) {
  return (
    <pre class="utrecht-code-block" aria-label={label} tabIndex={0}>
      <code class="utrecht-code">{children}</code>
    </pre>
  );
}

/** A file field (an upload); the form around it needs `enctype="multipart/form-data"`. */
export function FileField({ name, label, errors = [], description, accept }: { name: string; label: string; errors?: FormError[]; description?: string; accept?: string }) {
  const { error, describedBy } = fieldState(name, errors, description);
  return (
    <FieldFrame name={name} label={label} description={description} error={error}>
      <input type="file" class="utrecht-textbox utrecht-textbox--html-input" id={name} name={name} accept={accept} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} />
    </FieldFrame>
  );
}
