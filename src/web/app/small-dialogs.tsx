import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';

/** A modal that asks one question (a new name) or for a confirmation; native <dialog> gives focus and Esc. */
export function AskDialog(props: {
  title: string;
  label?: string;
  initial?: string;
  confirm: string;
  /** Mask the answer (a secret value). */
  secret?: boolean;
  children?: ReactNode;
  onAnswer: (value: string | undefined) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(props.initial ?? '');
  useEffect(() => ref.current?.showModal(), []);
  function submit(event: FormEvent) {
    event.preventDefault();
    props.onAnswer(value);
  }
  return (
    <dialog ref={ref} className="ask-dialog" aria-label={props.title} onClose={() => props.onAnswer(undefined)}>
      <form onSubmit={submit}>
        <h2>{props.title}</h2>
        {props.children}
        {props.label ? (
          <label>
            {props.label}
            <input
              value={value}
              type={props.secret ? 'password' : 'text'}
              autoComplete="off"
              onChange={(e) => setValue(e.target.value)}
              required
            />
          </label>
        ) : null}
        <div className="dialog-buttons">
          <span className="spacer" />
          <button type="button" onClick={() => props.onAnswer(undefined)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {props.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
