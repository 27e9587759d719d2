import { useCallback, useEffect, useState } from 'react';
import { ApiError, del, enc, get, post } from './api.js';
import { ConnectionDialog } from './connection-dialog.js';
import { ErrorMessage } from './error-message.js';
import { AskDialog } from './small-dialogs.js';
import { TestReportView } from './test-report.js';
import type { ConnectionTypeView, ConnectionView, Me, TestReport } from './types.js';

type Modal =
  | { kind: 'edit'; connection?: ConnectionView }
  | { kind: 'import-secret'; document: unknown; key: string }
  | { kind: 'copy'; connection: ConnectionView }
  | { kind: 'remove'; connection: ConnectionView };

function formatDate(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The last test in words: healthy, or failed with what went wrong; the code is a secondary detail (item 6). */
function health(connection: ConnectionView) {
  if (!connection.lastTest) return <span className="muted">not tested</span>;
  const at = new Date(connection.lastTest.at).toLocaleString();
  return connection.lastTest.ok ? (
    <span className="ok">
      ● healthy <span className="muted">(tested {at})</span>
    </span>
  ) : (
    <span>
      <span className="bad">● test failed</span>{' '}
      <span className="health-detail">{connection.lastTest.message ?? 'The last test failed.'}</span>
      {connection.lastTest.code ? (
        <code className="code-detail" title={`Tested ${at}`}>
          {connection.lastTest.code}
        </code>
      ) : null}
    </span>
  );
}

function secretExpiry(connection: ConnectionView): string {
  // The server's view: read from Graph at the last test when it could, else SecretExpiresOn or the certificate.
  const known = connection.credentialExpiry;
  if (known) return `${known.expiresAt.slice(0, 10)}${known.source === 'graph' ? ' (from Entra)' : ''}`;
  const declared = connection.parameters.find((p) => p.key === 'SecretExpiresOn');
  if (declared && !declared.secret) return declared.value;
  const certificate = connection.parameters.find((p) => p.key === 'ClientCertificate');
  const notAfter = certificate?.secret ? certificate.info?.notAfter : undefined;
  return notAfter ? notAfter.slice(0, 10) : '—';
}

function download(fileName: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  URL.revokeObjectURL(url);
}

/** The connections list with Create, Edit, Remove, Test, Copy, Export and Import. */
export function ConnectionsPage({ me }: { me: Me }) {
  const [types, setTypes] = useState<ConnectionTypeView[]>([]);
  const [connections, setConnections] = useState<ConnectionView[]>();
  const [modal, setModal] = useState<Modal>();
  const [report, setReport] = useState<TestReport>();
  const [testing, setTesting] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const canEdit = me.role === 'admin';
  const canTest = me.role !== 'viewer';

  const reload = useCallback(async () => {
    try {
      setConnections(await get<ConnectionView[]>('/connections'));
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    get<ConnectionTypeView[]>('/connection-types').then(setTypes, setError);
    void reload();
  }, [reload]);

  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    setSaved(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
    await reload();
  }

  async function test(connection: ConnectionView) {
    setTesting(connection.name);
    setReport(undefined);
    await run(async () => setReport(await post<TestReport>(`/connections/${enc(connection.name)}/test`)));
    setTesting(undefined);
  }

  async function importFile(file: File, parameters: { key: string; value: string }[] = [], text?: string) {
    setError(undefined);
    let document: unknown;
    try {
      document = JSON.parse(text ?? (await file.text())) as unknown;
      await post('/connections/import', { export: document, parameters });
    } catch (caught) {
      // Exports leave secrets out: ask for the missing value instead of failing.
      const omitted = caught instanceof ApiError ? (caught.details.omitted as string[] | undefined) : undefined;
      if (omitted?.[0] && document !== undefined) setModal({ kind: 'import-secret', document, key: omitted[0] });
      else setError(caught);
    }
    await reload();
  }

  return (
    <section aria-labelledby="connections-title">
      <div className="page-head">
        <h1 id="connections-title">Connections</h1>
        {canEdit ? (
          <div className="toolbar">
            <label className="button">
              Import…
              <input
                type="file"
                accept="application/json,.json"
                className="visually-hidden"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void importFile(file);
                }}
              />
            </label>
            <button type="button" className="primary" onClick={() => setModal({ kind: 'edit' })}>
              Create
            </button>
          </div>
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {saved ? (
        <p className="note" role="status">
          {saved}
        </p>
      ) : null}
      {connections === undefined ? (
        <p className="muted">Loading…</p>
      ) : connections.length === 0 ? (
        <p className="empty">No connections yet. {canEdit ? 'Create one for your Entra ID app registration.' : ''}</p>
      ) : (
        <table className="list cards">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Health</th>
              <th scope="col">Secret expires</th>
              <th scope="col">Last sync</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.id} data-connection={c.name}>
                <th scope="row">{c.name}</th>
                <td data-label="Type">{c.type}</td>
                <td data-label="Health">{health(c)}</td>
                <td data-label="Secret expires">{secretExpiry(c)}</td>
                <td data-label="Last sync">
                  {c.lastSync ? `${c.lastSync.status}, ${formatDate(c.lastSync.at)}` : 'never synced'}
                </td>
                <td className="actions">
                  {canTest ? (
                    <button type="button" onClick={() => test(c)} disabled={testing !== undefined}>
                      {testing === c.name ? 'Testing…' : 'Test'}
                    </button>
                  ) : null}
                  {canEdit ? (
                    <>
                      <button type="button" onClick={() => setModal({ kind: 'edit', connection: c })}>
                        Edit
                      </button>
                      <button type="button" onClick={() => setModal({ kind: 'copy', connection: c })}>
                        Copy
                      </button>
                      <button
                        type="button"
                        onClick={() =>
                          run(async () => download(`${c.name}.json`, await get(`/connections/${enc(c.name)}/export`)))
                        }
                      >
                        Export
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setModal({ kind: 'remove', connection: c })}
                      >
                        Remove
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report ? <TestReportView report={report} /> : null}
      {modal?.kind === 'edit' ? (
        <ConnectionDialog
          types={types}
          {...(modal.connection ? { connection: modal.connection } : {})}
          onClose={() => setModal(undefined)}
          onSaved={(connection, notes) => {
            setSaved([`Saved ${connection.name}.`, ...notes].join(' '));
            void reload();
          }}
        />
      ) : null}
      {modal?.kind === 'import-secret' ? (
        <AskDialog
          title="The export left out a secret"
          label={modal.key}
          secret
          confirm="Import"
          onAnswer={(value) => {
            setModal(undefined);
            if (value) {
              const text = JSON.stringify(modal.document);
              void importFile(new File([text], 'import.json'), [{ key: modal.key, value }], text);
            }
          }}
        >
          <p>Exports never carry secret values. Enter the {modal.key} for the imported connection.</p>
        </AskDialog>
      ) : null}
      {modal?.kind === 'copy' ? (
        <AskDialog
          title={`Copy ${modal.connection.name}`}
          label="Name of the copy"
          initial={`${modal.connection.name} copy`}
          confirm="Copy"
          onAnswer={(newName) => {
            setModal(undefined);
            if (newName) void run(() => post(`/connections/${enc(modal.connection.name)}/copy`, { newName }));
          }}
        />
      ) : null}
      {modal?.kind === 'remove' ? (
        <AskDialog
          title={`Remove ${modal.connection.name}?`}
          confirm="Remove"
          onAnswer={(answer) => {
            setModal(undefined);
            if (answer !== undefined) void run(() => del(`/connections/${enc(modal.connection.name)}`));
          }}
        >
          <p>The connection, its encrypted secrets and its local directory copy are removed.</p>
        </AskDialog>
      ) : null}
    </section>
  );
}
