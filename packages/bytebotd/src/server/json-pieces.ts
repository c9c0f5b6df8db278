/**
 * The JSON text of body in pieces, the base64 string at path one piece as it is, last in its object.
 * Stringifying a half-megabyte base64 string into the JSON text, then encoding that text again for the
 * socket, copies it twice for nothing (~1 ms a screenshot).
 */
export function jsonPieces(body: unknown, path: readonly string[]): string[] {
  const [field, ...deeper] = path;
  if (field === undefined) return [JSON.stringify(body)];
  const { [field]: inner, ...rest } = body as Record<string, unknown>;
  const others = JSON.stringify(rest);
  const opening = `${others === '{}' ? '{' : `${others.slice(0, -1)},`}${JSON.stringify(field)}:`;
  if (deeper.length === 0) return [`${opening}"`, inner as string, '"}'];
  const innerPieces = jsonPieces(inner, deeper);
  return [`${opening}${innerPieces[0]}`, ...innerPieces.slice(1, -1), `${innerPieces.at(-1)}}`];
}
