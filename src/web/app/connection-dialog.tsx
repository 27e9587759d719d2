import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, enc, patch, post } from './api.js';
import { CREDENTIAL_KINDS, type CredentialKey, CredentialKindPicker } from './credential-kind-picker.js';
import { ErrorMessage } from './error-message.js';
import { findSpec, parameterWarnings } from './parameter-warnings.js';
import { TestReportView } from './test-report.js';
import type { ConnectionChange, ConnectionTypeView, ConnectionView, TestReport } from './types.js';

interface Row {
  id: number;
  key: string;
  value: string;
  /** The key was saved before (so a secret row left empty keeps the stored secret). */
  stored: boolean;
  /** The stored secret was entered for other hosts: it is not sent until it is entered again (issue 12). */
  enterAgain?: boolean;
}

let nextRowId = 1;

function rowsOf(connection: ConnectionView | undefined): Row[] {
  return (connection?.parameters ?? []).map((p) => ({
    id: nextRowId++,
    key: p.key,
    value: p.secret ? '' : p.value,
    stored: true,
    ...(p.secret && p.enterAgain ? { enterAgain: true } : {}),
  }));
}

export interface ConnectionDialogProps {
  types: ConnectionTypeView[];
  /** Absent: create a new connection. */
  connection?: ConnectionView;
  onClose: () => void;
  /** After Create or Update, with what the administrator should be told (trimmed values, warnings). */
  onSaved: (connection: ConnectionView, notes: string[]) => void;
}

/** The seed's form: Name, Type, parameter rows added with (+), Test, and Create/Update. */
export function ConnectionDialog({ types, connection, onClose, onSaved }: ConnectionDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const formId = useId();
  const [saved, setSaved] = useState(connection);
  const [name, setName] = useState(connection?.name ?? '');
  const [typeName, setTypeName] = useState(connection?.type ?? types[0]?.name ?? 'EntraID');
  const [rows, setRows] = useState<Row[]>(() => rowsOf(connection));
  const [allowGuid, setAllowGuid] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notes, setNotes] = useState<string[]>([]);
  const [report, setReport] = useState<TestReport>();
  const [busy, setBusy] = useState<'' | 'save' | 'test'>('');
  const [askDiscard, setAskDiscard] = useState(false);
  const keepEditing = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (askDiscard) keepEditing.current?.focus();
  }, [askDiscard]);
  const type = types.find((t) => t.name === typeName);
  const specs = type?.parameters ?? [];
  const snapshot = (form: { name: string; typeName: string; rows: Row[] }) =>
    JSON.stringify([form.name, form.typeName, form.rows.map((r) => [r.key, r.value])]);
  const [pristine, setPristine] = useState(() => snapshot({ name, typeName, rows }));
  const dirty = snapshot({ name, typeName, rows }) !== pristine;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  /** Close, unless there are unsaved edits: then ask first (Esc used to throw them away, issue 16 item 7). */
  function requestClose() {
    if (dirty) setAskDiscard(true);
    else dialog.current?.close();
  }

  function addRow() {
    const used = new Set(rows.map((r) => r.key.trim().toLowerCase()));
    const suggestion =
      specs.find((s) => !used.has(s.key.toLowerCase()) && s.required) ??
      specs.find((s) => !used.has(s.key.toLowerCase()));
    setRows([...rows, { id: nextRowId++, key: suggestion?.key ?? '', value: '', stored: false }]);
  }

  /** Keeps exactly one credential row: the chosen kind's (product.md 9.4). */
  function chooseCredential(key: CredentialKey) {
    const others = new Set(CREDENTIAL_KINDS.map((k) => k.key.toLowerCase()).filter((k) => k !== key.toLowerCase()));
    const kept = rows.filter((row) => !others.has(row.key.trim().toLowerCase()));
    const has = kept.some((row) => row.key.trim().toLowerCase() === key.toLowerCase());
    const value = key === 'ManagedIdentity' ? 'system' : '';
    setRows(has ? kept : [...kept, { id: nextRowId++, key, value, stored: false }]);
  }

  function updateRow(id: number, change: Partial<Row>) {
    const row = rows.find((r) => r.id === id);
    // The "really a GUID" override was given for one value: a new value must be judged again.
    if (row && change.value !== undefined && findSpec(specs, row.key)?.secret) setAllowGuid(false);
    setRows(rows.map((r) => (r.id === id ? { ...r, ...change } : r)));
  }

  /** Stored secrets the form left empty: kept as they are (never sent back to the browser). */
  function keptSecrets(): Set<number> {
    return new Set(rows.filter((r) => r.stored && findSpec(specs, r.key)?.secret && r.value === '').map((r) => r.id));
  }

  /** Creates or updates; returns the saved connection, or undefined when the server refused. */
  async function save(): Promise<ConnectionView | undefined> {
    setError(undefined);
    try {
      let change: ConnectionChange;
      if (!saved) {
        const parameters = rows.map(({ key, value }) => ({ key, value }));
        change = await post<ConnectionChange>('/connections', {
          name,
          type: typeName,
          parameters,
          allowGuidSecret: allowGuid,
        });
      } else {
        const storedKeys = saved.parameters.map((p) => p.key.toLowerCase());
        const keptKeys = new Set(rows.map((r) => r.key.trim().toLowerCase()));
        const set = rows
          .filter((row) => !(row.stored && findSpec(specs, row.key)?.secret && row.value === ''))
          .map(({ key, value }) => ({ key, value }));
        const unset = saved.parameters.filter((_, i) => !keptKeys.has(storedKeys[i] as string)).map((p) => p.key);
        change = await patch<ConnectionChange>(`/connections/${enc(saved.name)}`, {
          set,
          unset,
          ...(name.trim() !== saved.name ? { rename: name } : {}),
          expectedVersion: saved.version,
          allowGuidSecret: allowGuid,
        });
      }
      setSaved(change.connection);
      const savedRows = rowsOf(change.connection);
      setRows(savedRows);
      setPristine(snapshot({ name: change.connection.name, typeName: change.connection.type, rows: savedRows }));
      const saveNotes = [
        ...(change.trimmed.length > 0 ? [`Removed spaces around: ${change.trimmed.join(', ')}.`] : []),
        ...change.warnings,
      ];
      setNotes(saveNotes);
      onSaved(change.connection, saveNotes);
      return change.connection;
    } catch (caught) {
      setError(caught);
      return undefined;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    const result = await save();
    setBusy('');
    if (result) onClose();
  }

  /** Tests what the form holds now, without saving it (POST /connections/test with the draft). */
  async function test() {
    setBusy('test');
    setReport(undefined);
    setError(undefined);
    const kept = keptSecrets();
    try {
      setReport(
        await post<TestReport>('/connections/test', {
          ...(name.trim() ? { name } : {}),
          type: typeName,
          parameters: rows.filter((r) => !kept.has(r.id)).map(({ key, value }) => ({ key, value })),
          allowGuidSecret: allowGuid,
          ...(saved ? { connection: saved.name, keep: rows.filter((r) => kept.has(r.id)).map((r) => r.key) } : {}),
        }),
      );
    } catch (caught) {
      setError(caught);
    }
    setBusy('');
  }

  const guidRefused =
    (error instanceof ApiError && error.code === 'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID') ||
    report?.checks.some((c) => c.code === 'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID') === true;
  return (
    <dialog
      ref={dialog}
      className="connection-dialog"
      aria-labelledby={`${formId}-title`}
      onClose={onClose}
      onCancel={(event) => {
        // Esc: keep the edits unless the administrator confirms.
        if (dirty) {
          event.preventDefault();
          setAskDiscard(true);
        }
      }}
    >
      <form onSubmit={submit}>
        <h2 id={`${formId}-title`}>{saved ? `Edit connection ${saved.name}` : 'New connection'}</h2>
        <div className="field-row">
          <label htmlFor={`${formId}-name`}>Name</label>
          <input
            id={`${formId}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
          />
        </div>
        <div className="field-row">
          <label htmlFor={`${formId}-type`}>Type</label>
          <select
            id={`${formId}-type`}
            value={typeName}
            onChange={(e) => setTypeName(e.target.value)}
            disabled={!!saved}
          >
            {types.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        {typeName === 'EntraID' ? (
          <CredentialKindPicker keys={rows.map((r) => r.key)} onChoose={chooseCredential} />
        ) : null}
        <fieldset className="parameters">
          <legend>Parameters</legend>
          <datalist id={`${formId}-keys`}>
            {specs.map((spec) => (
              <option key={spec.key} value={spec.key}>
                {spec.label}
              </option>
            ))}
          </datalist>
          {rows.length === 0 ? <p className="muted">No parameters yet: add them with (+).</p> : null}
          {rows.map((row, index) => {
            const spec = findSpec(specs, row.key);
            const warnings = parameterWarnings(row.key, row.value, spec, row.key.trim() === '' || !!spec);
            const keyId = `${formId}-key-${row.id}`;
            const valueId = `${formId}-value-${row.id}`;
            return (
              <div className="parameter-row" key={row.id} data-key={spec?.key ?? row.key}>
                <label htmlFor={keyId} className="visually-hidden">{`Key ${index + 1}`}</label>
                <input
                  id={keyId}
                  className="key"
                  list={`${formId}-keys`}
                  value={row.key}
                  placeholder="Key"
                  onChange={(e) => updateRow(row.id, { key: e.target.value })}
                />
                <label
                  htmlFor={valueId}
                  className="visually-hidden"
                >{`Value of ${row.key || `key ${index + 1}`}`}</label>
                <input
                  id={valueId}
                  className="value"
                  type={spec?.secret ? 'password' : 'text'}
                  autoComplete="off"
                  value={row.value}
                  placeholder={
                    spec?.secret && row.enterAgain
                      ? 'enter the secret again: it is only sent to the hosts it was entered for'
                      : spec?.secret && row.stored
                        ? 'leave empty to keep the current secret'
                        : (spec?.label ?? 'Value')
                  }
                  onChange={(e) => updateRow(row.id, { value: e.target.value })}
                />
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove ${row.key || `row ${index + 1}`}`}
                  title="Remove this parameter"
                  onClick={() => setRows(rows.filter((r) => r.id !== row.id))}
                >
                  ×
                </button>
                <div className="parameter-help">
                  {spec ? <span className="where">{spec.hint}</span> : null}
                  {warnings.map((warning) => (
                    <span key={warning} className="warning" role="status">
                      {warning}
                    </span>
                  ))}
                </div>
              </div>
            );
          })}
          <button type="button" className="icon add" aria-label="Add parameter" title="Add parameter" onClick={addRow}>
            +
          </button>
        </fieldset>
        {guidRefused || allowGuid ? (
          <label className="checkbox">
            <input type="checkbox" checked={allowGuid} onChange={(e) => setAllowGuid(e.target.checked)} /> My secret
            Value really is a GUID
          </label>
        ) : null}
        {notes.map((note) => (
          <p key={note} className="note" role="status">
            {note}
          </p>
        ))}
        <ErrorMessage error={error} />
        {report ? (
          <TestReportView
            report={report}
            {...(saved && !dirty ? {} : { saveFirst: async () => (await save())?.name })}
          />
        ) : null}
        <div className="dialog-buttons">
          {askDiscard ? (
            <div className="discard-bar" role="alertdialog" aria-label="Discard changes?">
              <strong>Discard your changes?</strong>
              <span className="spacer" />
              <button type="button" onClick={() => setAskDiscard(false)} ref={keepEditing}>
                Keep editing
              </button>
              <button type="button" className="danger" onClick={() => dialog.current?.close()}>
                Discard
              </button>
            </div>
          ) : (
            <>
              <button
                type="button"
                onClick={test}
                disabled={busy !== ''}
                title="Tests what the form holds now, without saving it"
              >
                {busy === 'test' ? 'Testing…' : 'Test'}
              </button>
              <span className="spacer" />
              <button type="button" onClick={requestClose}>
                Close
              </button>
              <button type="submit" className="primary" disabled={busy !== ''}>
                {saved ? 'Update' : 'Create'}
              </button>
            </>
          )}
        </div>
      </form>
    </dialog>
  );
}
