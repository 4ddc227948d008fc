/** A labelled input; `name` doubles as the id unless `id` is given. */
export function Field(props: {
  label: string;
  name: string;
  id?: string;
  type?: 'text' | 'password';
  autocomplete?: string;
  value?: string;
  inputMode?: 'numeric';
  pattern?: string;
  maxLength?: number;
  required?: boolean;
  help?: string;
}) {
  const id = props.id ?? props.name;
  const common = {
    id,
    name: props.name,
    autocomplete: props.autocomplete ?? 'off',
    value: props.value,
    inputMode: props.inputMode,
    pattern: props.pattern,
    maxLength: props.maxLength ?? 256,
    required: props.required ?? true,
    'aria-describedby': props.help ? `${id}-help` : undefined,
  };
  return (
    <div>
      <label for={id}>{props.label}</label>
      {props.type === 'password' ? (
        <input type="password" {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {props.help && (
        <p id={`${id}-help`} class="muted">
          {props.help}
        </p>
      )}
    </div>
  );
}

/** The new password, typed twice (the server compares them). */
export function NewPasswordFields(props: { prefix: string }) {
  return (
    <>
      <Field
        label="New password"
        name="newPassword"
        id={`${props.prefix}-new`}
        type="password"
        autocomplete="new-password"
      />
      <Field
        label="New password again"
        name="newPasswordAgain"
        id={`${props.prefix}-again`}
        type="password"
        autocomplete="new-password"
      />
    </>
  );
}

/** A six-digit code from an authenticator app. */
export function TotpField(props: { id: string; label?: string }) {
  return (
    <Field
      label={props.label ?? 'Code from the authenticator app'}
      name="code"
      id={props.id}
      inputMode="numeric"
      pattern="[0-9]{6}"
      maxLength={6}
      autocomplete="one-time-code"
      help="Six digits."
    />
  );
}
