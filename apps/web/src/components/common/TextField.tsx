import { FieldError } from './FieldError.tsx';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  /** `decimal` brings up a number keypad on phones; the text stays as typed for precise messages. */
  inputMode?: 'decimal' | 'numeric' | 'text';
  placeholder?: string;
}

/** A labelled input with its validation message right under it. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  inputMode = 'decimal',
  placeholder,
}: Props) {
  return (
    <label htmlFor={id}>
      {label}
      <input
        id={id}
        name={id}
        value={value}
        inputMode={inputMode}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {hint && !error ? <span className="muted small">{hint}</span> : null}
      <FieldError id={id} message={error} />
    </label>
  );
}
