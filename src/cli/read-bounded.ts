import { closeSync, openSync, readSync } from 'node:fs';
import { AppError } from '../core/errors.js';

/** What the CLI reads from files it is pointed at: parameters (PEMs, secrets) and passphrases. */
export const MAX_PARAMETER_FILE_BYTES = 1024 * 1024;
/** Connection exports, samples and action inputs. */
export const MAX_DOCUMENT_FILE_BYTES = 8 * 1024 * 1024;

function tooLarge(what: string, maxBytes: number): AppError {
  return new AppError('FILE_TOO_LARGE', {
    message: `${what} is larger than ${Math.round(maxBytes / 1024)} KiB.`,
    details: { maxBytes },
  });
}

/**
 * Reads at most `maxBytes` of a file as UTF-8 and refuses a longer one (FILE_TOO_LARGE), so `/dev/zero`, a FIFO or
 * a huge file never fills memory (issue 12, finding 12). Errors opening the file propagate as they are.
 */
export function readBoundedFile(path: string, maxBytes: number, what: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(what, maxBytes);
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The same for a stream (stdin). */
export async function readBoundedStream(
  stream: AsyncIterable<string | Uint8Array>,
  maxBytes: number,
  what: string,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += bytes.length;
    if (total > maxBytes) throw tooLarge(what, maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
