import type { Connection, ConnectionTestSummary, ConnectionTokenState } from './connection.js';
import { isBoundHere } from './secret-binding.js';

/** A parameter as every interface shows it: plain values as they are, secrets only as metadata. */
export type ParameterView =
  | { key: string; secret: false; value: string }
  | {
      key: string;
      secret: true;
      set: true;
      setAt: string;
      fingerprint: string;
      info?: Record<string, string>;
      /** Entered for other endpoints or another connection: not sent anywhere until it is entered again. */
      enterAgain?: true;
    };

/** The public shape of a connection (CLI --json, REST API): no envelope, no secret value. */
export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  parameters: ParameterView[];
  lastTest?: ConnectionTestSummary;
  tokenState?: ConnectionTokenState;
}

export function toConnectionView(connection: Connection): ConnectionView {
  return {
    id: connection.id,
    name: connection.name,
    type: connection.type,
    version: connection.version,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
    parameters: connection.parameters.map((p) =>
      p.secret
        ? {
            key: p.key,
            secret: true,
            set: true,
            setAt: p.setAt,
            fingerprint: p.fingerprint,
            ...(p.info ? { info: { ...p.info } } : {}),
            ...(isBoundHere(connection, p) ? {} : { enterAgain: true as const }),
          }
        : { key: p.key, secret: false, value: p.value },
    ),
    ...(connection.lastTest ? { lastTest: connection.lastTest } : {}),
    ...(connection.tokenState ? { tokenState: connection.tokenState } : {}),
  };
}
