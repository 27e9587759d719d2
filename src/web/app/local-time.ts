/** An ISO instant (2026-12-01T02:54:09.000Z) anywhere in a text. */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** The console shows every time in the browser's local time, as the rest of the page does (issue 16 item 8). */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Rewrites the ISO instants in a server message (e.g. "expires 2026-12-01T03:54:09Z") into local time. */
export function withLocalTimes(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => localTime(iso));
}
