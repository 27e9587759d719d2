import { GraphError, graphErrors } from './graph-error.js';

/** A compiled `$filter`: true when the object's Graph properties match. */
export type Predicate = (props: Record<string, unknown>, id: string) => boolean;

const ADVANCED_HINT =
  'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information';

/**
 * The `$filter` forms gatehouse may send (https://learn.microsoft.com/graph/filter-query-parameter): `p eq v`,
 * `p in ('a','b')`, `startswith(p,'v')`, joined by `and`/`or`; `ne` and `endswith` only as advanced queries
 * (ConsistencyLevel: eventual + $count=true). String comparisons are case-insensitive, as in the directory.
 */
export function compileFilter(filter: string, advanced: boolean, allowed?: ReadonlySet<string>): Predicate {
  const orParts = splitTopLevel(filter, 'or');
  const ors = orParts.map((part) => {
    const ands = splitTopLevel(part, 'and').map((clause) => compileClause(clause.trim(), advanced, allowed));
    return (p: Record<string, unknown>, id: string) => ands.every((f) => f(p, id));
  });
  return (p, id) => ors.some((f) => f(p, id));
}

/** Strict input: a property the resource does not filter on is refused as Graph does. */
function checkFilterable(prop: string, allowed: ReadonlySet<string> | undefined): void {
  if (allowed && prop !== 'id' && !allowed.has(prop))
    throw graphErrors.unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${prop}'.`);
}

function compileClause(clause: string, advanced: boolean, allowed?: ReadonlySet<string>): Predicate {
  const inner = /^\((.*)\)$/.exec(clause);
  if (inner?.[1] && !/^\(.*\)\s*(and|or)\s*\(.*\)$/.test(clause)) return compileFilter(inner[1], advanced, allowed);
  const property = /^(?:startswith|endswith)\(\s*(\w+)|^(\w+)\s+(?:in|eq|ne)\s/i.exec(clause);
  if (property) checkFilterable((property[1] ?? property[2]) as string, allowed);
  let m = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
  if (m) {
    const [prop, value] = [m[1] as string, unquote(m[2] as string).toLowerCase()];
    return (p) =>
      String(p[prop] ?? '')
        .toLowerCase()
        .startsWith(value);
  }
  m = /^endswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
  if (m) {
    requireAdvanced('endsWith', advanced);
    const [prop, value] = [m[1] as string, unquote(m[2] as string).toLowerCase()];
    return (p) =>
      String(p[prop] ?? '')
        .toLowerCase()
        .endsWith(value);
  }
  m = /^(\w+)\s+in\s+\((.*)\)$/i.exec(clause);
  if (m) {
    const prop = m[1] as string;
    const values = [...(m[2] as string).matchAll(/'((?:[^']|'')*)'/g)].map((v) =>
      unquote(v[1] as string).toLowerCase(),
    );
    return (p, id) => values.includes(String(prop === 'id' ? id : (p[prop] ?? '')).toLowerCase());
  }
  m = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(clause);
  if (m) {
    const [prop, op, raw] = [m[1] as string, (m[2] as string).toLowerCase(), (m[3] as string).trim()];
    if (op === 'ne') requireAdvanced('ne', advanced);
    const expected = literal(raw);
    const eq: Predicate = (p, id) => {
      const actual = prop === 'id' ? id : p[prop];
      if (typeof expected === 'string')
        return typeof actual === 'string' && actual.toLowerCase() === expected.toLowerCase();
      return (actual ?? null) === expected;
    };
    return op === 'eq' ? eq : (p, id) => !eq(p, id);
  }
  if (/^not\s/i.test(clause)) requireAdvanced('not', advanced);
  throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
}

function requireAdvanced(operator: string, advanced: boolean): void {
  if (!advanced)
    throw graphErrors.unsupportedQuery(
      `Operator '${operator}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
    );
}

function literal(raw: string): string | boolean | number | null {
  const quoted = /^'((?:[^']|'')*)'$/.exec(raw);
  if (quoted) return unquote(quoted[1] as string);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  throw graphErrors.badRequest(`Invalid filter clause: syntax error near '${raw}'.`);
}

const unquote = (value: string) => value.replace(/''/g, "'");

/** Splits on ` and `/` or ` outside quotes and parentheses. */
function splitTopLevel(text: string, word: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const token = ` ${word} `;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && text.slice(i, i + token.length).toLowerCase() === token) {
      parts.push(text.slice(start, i));
      start = i + token.length;
      i += token.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `$search="displayName:jo"` or `"jo"`: tokenised prefix match, as the directory search does. */
export function compileSearch(search: string, advanced: boolean, fields: readonly string[]): Predicate {
  if (!advanced)
    throw graphErrors.unsupportedQuery(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  const terms = [...search.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
  if (terms.length === 0)
    throw graphErrors.badRequest("Syntax error: character '\"' is not valid at position 0 in '$search'.");
  const clauses = terms.map((term) => {
    const colon = term.indexOf(':');
    const props = colon > 0 ? [term.slice(0, colon)] : fields;
    const value = (colon > 0 ? term.slice(colon + 1) : term).toLowerCase();
    return (p: Record<string, unknown>) =>
      props.some((prop) =>
        String(p[prop] ?? '')
          .toLowerCase()
          .split(/[\s@._-]+/)
          .some((word) => word.startsWith(value)),
      );
  });
  return (p) => clauses.every((c) => c(p));
}
