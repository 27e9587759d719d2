import { AppError } from '../../core/errors.js';

/**
 * Graph paths as `graph.request` sends them (issue 12 findings 10 and 14): resolved and normalised BEFORE any check,
 * so `/../admin/x` or `/%2e%2e/%2e%2e/x` cannot leave the version root, and the write allowlist an admin sets per
 * connection (GraphWritePaths) is matched against the path Graph will actually see.
 */

export interface NormalizedGraphPath {
  /** `/users/{id}`: segments decoded, `.` and `..` resolved, re-encoded canonically; no query. */
  readonly path: string;
  /** The decoded segments of `path`. */
  readonly segments: readonly string[];
  /** `?…` as given (empty when none). */
  readonly query: string;
}

function invalid(path: string, why: string): AppError {
  return new AppError('ACTION_GRAPH_PATH_INVALID', {
    message: `The Graph path '${path.slice(0, 200)}' ${why}.`,
    details: { path: path.slice(0, 200), reason: why },
  });
}

/** Not relative to the version root at all: the code graph.request always answered with (codes are a contract). */
function notRelative(path: string): AppError {
  return new AppError('ACTION_INVALID_INPUT', {
    message: `The path '${path.slice(0, 200)}' is not a Graph path relative to the version root.`,
    hint: 'Give a path such as /users?$top=5 or /groups/{id}/members (no host, no /v1.0).',
    details: { errors: [{ path: '/path', message: 'must start with / and name no host or version' }] },
  });
}

/** Characters Graph paths use literally (OData keys and functions: users('id'), $value, $ref, a=b,c). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(24|27|28|29|3D|40|3A|2C|21|2A|2B|3B)/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Normalises a path relative to the version root; throws ACTION_GRAPH_PATH_INVALID for one that is absolute, names
 * a host or version, climbs above the version root, or hides a separator, dot segment or control character in an
 * encoding (including double encoding).
 */
export function normalizeGraphPath(input: string): NormalizedGraphPath {
  if (/[\r\n]/.test(input)) throw notRelative(input);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(input)) throw invalid(input, 'contains a control character or a backslash');
  if (!input.startsWith('/') || input.startsWith('//') || /^\/(v1\.0|beta)\//i.test(input)) throw notRelative(input);
  const queryAt = input.search(/[?#]/);
  if (queryAt >= 0 && input[queryAt] === '#') throw invalid(input, 'contains a fragment');
  const rawPath = queryAt >= 0 ? input.slice(0, queryAt) : input;
  const query = queryAt >= 0 ? input.slice(queryAt) : '';
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw invalid(input, 'has a malformed percent-encoding');
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[/\\\u0000-\u001f\u007f]/.test(segment))
      throw invalid(input, 'hides a separator or control character in an encoding');
    if (/%[0-9a-f]{2}/i.test(segment)) throw invalid(input, 'is encoded twice');
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) throw invalid(input, 'climbs above the version root');
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  if (segments.length === 0) throw invalid(input, 'names no resource');
  if (/^(v1\.0|beta)$/i.test(segments[0] as string)) {
    throw invalid(input, 'names a version; give the path after /v1.0, e.g. /users');
  }
  return { path: `/${segments.map(encodeSegment).join('/')}`, segments, query };
}

/** One entry of GraphWritePaths: `METHOD /path/pattern`, `*` one segment, `**` (last) any number. */
export interface GraphWritePattern {
  /** POST, PATCH, PUT, DELETE, or `*` for any write. */
  readonly method: string;
  readonly segments: readonly string[];
  readonly text: string;
}

const WRITE_METHODS = ['POST', 'PATCH', 'PUT', 'DELETE', '*'];

/**
 * Parses GraphWritePaths: entries separated by `;` or new lines, each `METHOD /path` (e.g.
 * `POST /users/*\/revokeSignInSessions; PATCH /users/*`). Throws CONNECTION_INVALID_PARAMETER naming the entry.
 */
export function parseGraphWritePaths(text: string): GraphWritePattern[] {
  return text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^(\S+)\s+(\/\S*)$/.exec(entry);
      const method = match?.[1]?.toUpperCase() ?? '';
      if (!match || !WRITE_METHODS.includes(method)) {
        throw new AppError('CONNECTION_INVALID_PARAMETER', {
          message: `GraphWritePaths entry '${entry.slice(0, 200)}' is not 'METHOD /path' with METHOD one of POST, PATCH, PUT, DELETE or *.`,
          hint: 'Example: POST /users/*/revokeSignInSessions; PATCH /users/* (a * is one path segment, a final ** any number).',
          details: { key: 'GraphWritePaths' },
        });
      }
      const wildcarded = (match[2] as string).split('/').map((s, i) => (s === '*' || s === '**' ? `x${i}` : s));
      let normalized: NormalizedGraphPath;
      try {
        normalized = normalizeGraphPath(wildcarded.join('/'));
      } catch (error) {
        throw new AppError('CONNECTION_INVALID_PARAMETER', {
          message: `GraphWritePaths entry '${entry.slice(0, 200)}': ${(error as Error).message}`,
          details: { key: 'GraphWritePaths' },
        });
      }
      const patternSegments = (match[2] as string).split('/').filter((s) => s !== '');
      if (patternSegments.length !== normalized.segments.length || normalized.query !== '') {
        throw new AppError('CONNECTION_INVALID_PARAMETER', {
          message: `GraphWritePaths entry '${entry.slice(0, 200)}' must be a plain path (no dot segments, no query).`,
          details: { key: 'GraphWritePaths' },
        });
      }
      if (patternSegments.slice(0, -1).includes('**')) {
        throw new AppError('CONNECTION_INVALID_PARAMETER', {
          message: `GraphWritePaths entry '${entry.slice(0, 200)}': ** may only end a pattern.`,
          details: { key: 'GraphWritePaths' },
        });
      }
      return {
        method,
        segments: patternSegments.map((s, i) => (s === '*' || s === '**' ? s : (normalized.segments[i] as string))),
        text: `${method} /${patternSegments.join('/')}`,
      };
    });
}

function segmentsMatch(pattern: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i += 1) {
    const p = pattern[i] as string;
    if (p === '**') return path.length > i;
    if (i >= path.length) return false;
    if (p !== '*' && p.toLowerCase() !== (path[i] as string).toLowerCase()) return false;
  }
  return pattern.length === path.length;
}

/** The pattern that allows `method` on the normalised `path`, if any. */
export function findWritePattern(
  patterns: readonly GraphWritePattern[],
  method: string,
  path: NormalizedGraphPath,
): GraphWritePattern | undefined {
  return patterns.find((p) => (p.method === '*' || p.method === method) && segmentsMatch(p.segments, path.segments));
}
