/**
 * How a usage error quotes what was typed: a short, plain word (a mistyped role, port or command) is shown so the
 * mistake is easy to see; anything longer or stranger may be a secret pasted in the wrong place, so only its length
 * is (issue 12, finding 12: no value echoed in usage errors).
 */
export function shownValue(text: string): string {
  return text.length <= 24 && /^[A-Za-z0-9 ._<>[\]:-]*$/.test(text)
    ? `'${text}'`
    : `(${text.length} characters, not shown)`;
}

/** The same for every quoted part of a message (commander's "unknown command 'x'"). */
export function withShownValues(message: string): string {
  return message.replace(/'([^']*)'/g, (_all, quoted: string) => shownValue(quoted));
}

/**
 * A file path in a usage error: shown when it looks like one (a directory separator or a file extension), else
 * treated like any value: `--param-file ClientSecret=<secret>` (meant as --param) must not print the secret.
 */
export function shownPath(path: string): string {
  const looksLikePath =
    path.length <= 300 && !/[\s~]/.test(path) && (/[/\\]/.test(path) || /\.[A-Za-z0-9]{1,5}$/.test(path));
  return looksLikePath ? path : shownValue(path);
}
