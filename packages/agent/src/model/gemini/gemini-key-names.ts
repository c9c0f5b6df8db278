/**
 * Key names as Gemini writes them (`hotkey` {keys: ["Control", "s"]}, `press_key` {key: "Enter"},
 * legacy `key_combination` {keys: "Control+A"}), as names our protocol accepts. Most are Playwright's
 * names, which our key table already takes case-insensitively (Control, Enter, ArrowLeft, PageDown,
 * Backspace, Meta); these are the ones it does not know. Google's reference implementation maps the same
 * names (`PLAYWRIGHT_KEY_MAP`, https://github.com/google-gemini/computer-use-preview).
 */
const geminiOnlyNames: Record<string, string> = {
  // Playwright's "Control on Linux and Windows, Command on macOS"; this desktop is Linux.
  controlormeta: 'Control_L',
  equals: 'equal',
  multiply: 'KP_Multiply',
  add: 'KP_Add',
  separator: 'KP_Separator',
  subtract: 'KP_Subtract',
  decimal: 'KP_Decimal',
  divide: 'KP_Divide',
};

const modifiers = new Set(['control', 'ctrl', 'alt', 'meta', 'super', 'command', 'cmd', 'controlormeta']);
const shifts = new Set(['shift', 'shift_l', 'shift_r']);

function keyName(written: string): string {
  return geminiOnlyNames[written.toLowerCase()] ?? written;
}

/**
 * Keys pressed together. A letter written in capitals beside a modifier ("Control+A") means the key, not
 * the capital: sent as it is, the capital would add Shift (Control+Shift+A). With Shift in the chord the
 * capital stays; on its own ("A") it types the capital, as in Playwright.
 */
export function chord(keys: string[]): string[] {
  const lower = keys.map((key) => key.toLowerCase());
  const modified = lower.some((key) => modifiers.has(key)) && !lower.some((key) => shifts.has(key));
  return keys.map((key) => (modified && /^[A-Z]$/.test(key) ? key.toLowerCase() : keyName(key)));
}

/** "Control+A" → ["Control", "A"]; "Control++" → ["Control", "+"]; "+" → ["+"]. */
export function splitKeyCombination(text: string): string[] {
  if (text === '') return [];
  if (text === '+') return ['+'];
  if (text.endsWith('++')) return [...splitKeyCombination(text.slice(0, -2)), '+'];
  return text.split('+').map((key) => key.trim());
}
