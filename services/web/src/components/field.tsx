import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldShell {
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  required?: boolean;
}

function Shell(props: FieldShell & { id: string; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="required"> (obligatoire)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, props: FieldShell): string | undefined {
  const ids = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A labelled input with hint and error wired to aria-describedby. */
export function TextField(
  props: FieldShell & {
    value: string;
    onValue: (value: string) => void;
    type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'search' | 'tel' | 'url';
    name?: string;
    autoComplete?: string;
    placeholder?: string;
    inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'search' | 'tel';
    min?: string | number;
    max?: string | number;
    step?: string | number;
    maxLength?: number;
    disabled?: boolean;
    onBlur?: () => void;
  },
) {
  const id = useId();
  return (
    <Shell id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <input
        id={id}
        // Preact 11 types inputs as a union keyed by `type`; one component for every text-like type needs the cast.
        type={(props.type ?? 'text') as 'text'}
        name={props.name}
        autoComplete={props.autoComplete}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        step={props.step}
        maxLength={props.maxLength}
        disabled={props.disabled}
        value={props.value}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props)}
        onInput={(event) => props.onValue((event.currentTarget as HTMLInputElement).value)}
        onBlur={props.onBlur}
      />
    </Shell>
  );
}

/** A labelled select. */
export function SelectField(
  props: FieldShell & {
    value: string;
    onValue: (value: string) => void;
    options: { value: string; label: string }[];
    placeholder?: string;
    name?: string;
  },
) {
  const id = useId();
  return (
    <Shell id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <select
        id={id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props)}
        onChange={(event) => props.onValue((event.currentTarget as HTMLSelectElement).value)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

/** A labelled file input. */
export function FileField(
  props: FieldShell & { accept: string; onFile: (file: File | undefined) => void; name?: string },
) {
  const id = useId();
  return (
    <Shell id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <input
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        required={props.required}
        aria-describedby={describedBy(id, props)}
        onChange={(event) => props.onFile((event.currentTarget as HTMLInputElement).files?.[0])}
      />
    </Shell>
  );
}

/** A labelled multi-line input. */
export function TextAreaField(
  props: FieldShell & { value: string; onValue: (value: string) => void; rows?: number },
) {
  const id = useId();
  return (
    <Shell id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <textarea
        id={id}
        rows={props.rows ?? 3}
        value={props.value}
        required={props.required}
        aria-describedby={describedBy(id, props)}
        onInput={(event) => props.onValue((event.currentTarget as HTMLTextAreaElement).value)}
      />
    </Shell>
  );
}
