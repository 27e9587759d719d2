import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

/** Asks for a destructive step by having the exact name typed first (a deleted user is gone from sign-in at once). */
export function ConfirmTypedDialog(props: {
  title: string;
  expected: string;
  confirm: string;
  children?: React.ReactNode;
  onAnswer: (confirmed: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  useEffect(() => ref.current?.showModal(), []);
  const matches = typed.trim().toLowerCase() === props.expected.toLowerCase();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches) props.onAnswer(true);
  }
  return (
    <dialog ref={ref} className="ask-dialog" aria-label={props.title} onClose={() => props.onAnswer(false)}>
      <form onSubmit={submit}>
        <h2>{props.title}</h2>
        {props.children}
        <label htmlFor={`${id}-typed`}>
          Type <strong>{props.expected}</strong> to confirm
        </label>
        <input id={`${id}-typed`} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
        <div className="dialog-buttons">
          <span className="spacer" />
          <button type="button" onClick={() => props.onAnswer(false)}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!matches}>
            {props.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
