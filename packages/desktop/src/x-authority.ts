import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const familyWild = 0xffff;

function field(value: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([length, value]);
}

/**
 * Writes an Xauthority file with one MIT-MAGIC-COOKIE-1 entry for the display. The "wild" address
 * family matches any host name, so the cookie works whatever the machine is called (containers rename
 * hosts) and without spawning xauth.
 */
export function writeXAuthority(path: string, displayNumber: number, mode = 0o600): void {
  const family = Buffer.alloc(2);
  family.writeUInt16BE(familyWild);
  const entry = Buffer.concat([
    family,
    field(Buffer.alloc(0)),
    field(Buffer.from(String(displayNumber))),
    field(Buffer.from('MIT-MAGIC-COOKIE-1')),
    field(randomBytes(16)),
  ]);
  writeFileSync(path, entry, { mode });
}
