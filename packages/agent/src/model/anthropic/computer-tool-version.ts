/**
 * Which version of Anthropic's computer tool a model takes, and the beta header that enables it.
 * Newer models take the 2025-11-24 tool (with zoom); older ones the 2025-01-24 tool.
 */
export function computerToolVersion(model: string): {
  type: 'computer_20250124' | 'computer_20251124';
  beta: string;
} {
  if (/claude-(opus-4-[5-9]|sonnet-4-[6-9]|haiku-4-[6-9]|(opus|sonnet|haiku)-[5-9])/.test(model)) {
    return { type: 'computer_20251124', beta: 'computer-use-2025-11-24' };
  }
  return { type: 'computer_20250124', beta: 'computer-use-2025-01-24' };
}
