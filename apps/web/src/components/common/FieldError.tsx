/** The message for one form field, placed right under it and tied to it for screen readers. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" id={`${id}-error`} role="alert" data-field-error={id}>
      {message}
    </span>
  );
}
