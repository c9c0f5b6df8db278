import { readFile } from 'node:fs/promises';

/** One entry of an Xauthority file (the format libXau reads and `xauth` writes). */
export interface XauthorityEntry {
  family: number;
  address: string;
  display: string;
  name: string;
  /** Binary cookie as a latin1 string, the form the x11 package sends. */
  data: string;
}

const familyLocal = 256;
const familyWild = 65535;

export function parseXauthority(file: Buffer): XauthorityEntry[] {
  const entries: XauthorityEntry[] = [];
  let offset = 0;
  const field = (): string | undefined => {
    if (offset + 2 > file.length) return undefined;
    const length = file.readUInt16BE(offset);
    const start = offset + 2;
    offset = start + length;
    return offset > file.length ? undefined : file.toString('latin1', start, offset);
  };
  while (offset + 2 <= file.length) {
    const family = file.readUInt16BE(offset);
    offset += 2;
    const [address, display, name, data] = [field(), field(), field(), field()];
    // A truncated last entry (a file being rewritten) is dropped, not guessed at.
    if (address === undefined || display === undefined || name === undefined || data === undefined) break;
    entries.push({ family, address, display, name, data });
  }
  return entries;
}

/**
 * The cookie for a display, matched as libXau does for the connections bytebotd makes: a wildcard
 * entry, or one for this machine's name (local socket) or the display's host, with the display number.
 */
export function cookieFor(
  entries: readonly XauthorityEntry[],
  target: { host: string; displayNumber: string; hostname: string },
): { name: string; data: string } | undefined {
  const entry = entries.find(
    (candidate) =>
      (candidate.display === '' || candidate.display === target.displayNumber) &&
      (candidate.family === familyWild ||
        (candidate.family === familyLocal && candidate.address === target.hostname) ||
        (target.host !== '' && candidate.address === target.host)),
  );
  return entry && { name: entry.name, data: entry.data };
}

/** Reads the file; a missing file means no cookie, as for libXau. */
export async function readXauthority(path: string): Promise<XauthorityEntry[]> {
  try {
    return parseXauthority(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
