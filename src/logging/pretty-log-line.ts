/** pino's numeric levels, as words a person reads. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'component', 'pid', 'hostname']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value !== null && typeof value === 'object') {
    const error = value as { type?: unknown; message?: unknown; code?: unknown };
    // An `err` field: its type and message are what a person needs; the stack stays in the JSON format.
    if (typeof error.message === 'string') return JSON.stringify(`${String(error.type ?? 'Error')}: ${error.message}`);
  }
  return JSON.stringify(value);
}

/**
 * One pino JSON line as a line for a terminal: `14:02:07 WARN  server: graph request will be retried status=429
 * attempt=1`. Redaction already happened in pino, before the JSON was written, so nothing secret is reintroduced.
 * A line that is not pino JSON is passed through unchanged.
 */
export function prettyLogLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const time = typeof record.time === 'string' ? new Date(record.time) : new Date();
  const clock = Number.isNaN(time.getTime()) ? '--:--:--' : time.toTimeString().slice(0, 8);
  const level = (LEVELS[Number(record.level)] ?? String(record.level ?? '')).padEnd(5);
  const component = typeof record.component === 'string' ? `${record.component}: ` : '';
  const fields = Object.entries(record)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`);
  return `${[clock, level, `${component}${String(record.msg ?? '')}`, ...fields].join(' ')}\n`;
}
