import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { enc, get } from './api.js';

/** A user or group as the pickers show it (from the local directory copy). */
export interface Picked {
  id: string;
  kind: 'user' | 'group';
  displayName: string;
  /** Users: the UPN, which tells two "Adele Chen"s apart; groups: the description. */
  detail: string;
  accountEnabled?: boolean;
}

interface UserRow {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  mail: string | null;
  accountEnabled: boolean;
}
interface GroupRow {
  id: string;
  displayName: string;
  description: string | null;
}

/** Searches the local directory: users by name, UPN or mail; groups by name (issue 16 item 9). */
export async function searchObjects(
  connection: string,
  kind: 'user' | 'group',
  text: string,
  limit = 8,
): Promise<Picked[]> {
  const query = new URLSearchParams({ limit: String(limit), ...(text.trim() ? { search: text.trim() } : {}) });
  if (kind === 'user') {
    const users = await get<UserRow[]>(`/directory/${enc(connection)}/users?${query}`);
    return users.map((u) => ({
      id: u.id,
      kind,
      displayName: u.displayName ?? u.userPrincipalName,
      detail: u.userPrincipalName,
      accountEnabled: u.accountEnabled,
    }));
  }
  const groups = await get<GroupRow[]>(`/directory/${enc(connection)}/groups?${query}`);
  return groups.map((g) => ({ id: g.id, kind, displayName: g.displayName, detail: g.description ?? '' }));
}

/**
 * What typed text means when nothing was picked from the list: one match is taken, several are offered, none is
 * passed on as typed (an id or UPN the local copy may not have yet).
 */
export async function resolveTyped(
  connection: string,
  kind: 'user' | 'group',
  text: string,
): Promise<{ picked: Picked } | { candidates: Picked[] } | { typed: string }> {
  const found = await searchObjects(connection, kind, text, 20);
  const exact = found.filter(
    (o) => o.id === text.trim() || [o.displayName, o.detail].some((v) => v.toLowerCase() === text.trim().toLowerCase()),
  );
  const pool = exact.length > 0 ? exact : found;
  if (pool.length === 1 && pool[0]) return { picked: pool[0] };
  if (pool.length > 1) return { candidates: pool };
  return { typed: text.trim() };
}

export interface ObjectPickerProps {
  connection: string;
  kind: 'user' | 'group';
  label: string;
  /** Called with the chosen object, or undefined when the text no longer names the chosen one. */
  onPick: (picked: Picked | undefined) => void;
  /** The text typed so far (for callers that accept an id or UPN typed in full). */
  onText?: (text: string) => void;
  /** Empty the field after a pick (multi-select lists keep the picks themselves). */
  clearOnPick?: boolean;
  /** Options to offer right away (e.g. several matches for what was typed). */
  offer?: Picked[];
  placeholder?: string;
  required?: boolean;
}

/** A searchable combobox over the local directory (WAI-ARIA combobox with a listbox popup). */
export function ObjectPicker(props: ObjectPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Picked[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [message, setMessage] = useState<string>();
  const sequence = useRef(0);
  const { connection, kind, offer } = props;

  useEffect(() => {
    if (offer && offer.length > 0) {
      setOptions(offer);
      setActive(0);
      setOpen(true);
      setMessage(`${offer.length} ${kind === 'user' ? 'users' : 'groups'} match: pick one.`);
    }
  }, [offer, kind]);

  function search(value: string) {
    const mine = ++sequence.current;
    setTimeout(async () => {
      if (mine !== sequence.current) return;
      try {
        const found = await searchObjects(connection, kind, value);
        if (mine !== sequence.current) return;
        setOptions(found);
        setActive(0);
        setOpen(true);
        setMessage(found.length === 0 ? `No ${kind} matches “${value.trim()}” in the local copy.` : undefined);
      } catch {
        setOpen(false);
      }
    }, 150);
  }

  function choose(option: Picked) {
    setText(props.clearOnPick ? '' : option.displayName);
    props.onText?.(props.clearOnPick ? '' : option.displayName);
    setOpen(false);
    setMessage(undefined);
    props.onPick(option);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) search(text);
      setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && open && options[active]) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === 'Escape' && open) {
      // Close the list, not the dialog around it.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  }

  const activeOption = open ? options[active] : undefined;
  return (
    <div className="picker-box">
      <label htmlFor={`${id}-input`}>{props.label}</label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? `${id}-opt-${activeOption.id}` : undefined}
        autoComplete="off"
        value={text}
        placeholder={props.placeholder ?? (kind === 'user' ? 'Name, UPN or mail' : 'Group name')}
        required={props.required}
        onChange={(event) => {
          setText(event.target.value);
          props.onText?.(event.target.value);
          props.onPick(undefined);
          search(event.target.value);
        }}
        onFocus={() => {
          if (!open && text === '') search('');
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <div
        id={listId}
        role="listbox"
        className="options"
        aria-label={`${props.label}: matches`}
        hidden={!open || options.length === 0}
      >
        {options.map((option, index) => (
          <div
            key={option.id}
            id={`${id}-opt-${option.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
          >
            {option.displayName}
            {option.accountEnabled === false ? ' (disabled)' : ''}
            {option.detail ? <span className="muted">{option.detail}</span> : null}
          </div>
        ))}
      </div>
      {message ? (
        <span className="muted" role="status">
          {message}
        </span>
      ) : null}
    </div>
  );
}
