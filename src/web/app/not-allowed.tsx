import { whoMay } from './roles.js';
import type { Role } from './types.js';

/** A page the signed-in role may not open: said in words, instead of silently showing another page. */
export function NotAllowed({ page, needed, role }: { page: string; needed: Role; role: Role }) {
  return (
    <section className="not-allowed" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">Not allowed</h1>
      <p>
        The {page} page is for {whoMay(needed)}; you are signed in as <strong>{role}</strong>.
      </p>
      <p className="muted">Ask an admin for the {needed} role if you need it.</p>
      <p>
        <a href="/connections">Go to Connections</a>
      </p>
    </section>
  );
}
