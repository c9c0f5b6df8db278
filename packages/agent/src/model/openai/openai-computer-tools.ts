/**
 * Which computer tool each OpenAI model takes: the one table of it.
 *
 * - `computer`: OpenAI's native computer tool on the Responses API (`tools: [{ type: "computer" }]`,
 *   batched `actions[]`). From the guide (https://developers.openai.com/api/docs/guides/tools-computer-use):
 *   "`gpt-5.4` includes new training for this kind of work, and future models will build on the same
 *   pattern"; its examples use `gpt-5.6` and its migration table names `gpt-5.5` (an earlier copy
 *   `gpt-5.4`) as the GA model. `gpt-5.4-mini` is the named replacement of the retired
 *   `computer-use-preview` (https://developers.openai.com/api/docs/deprecations, 2026-07-23).
 * - `function tools`: our computer actions as Chat Completions function tools; models from before the
 *   computer tool, and every OpenAI-compatible server (vLLM, Ollama, LM Studio, LiteLLM).
 *
 * `computer-use-preview` and its `computer_use_preview` tool are not offered: the model is shut down,
 * and the guide says "Keep the preview path only to maintain older integrations".
 */
export type OpenAIComputerTool = 'computer' | 'function tools';

/**
 * Model id prefixes; a prefix matches the id itself and its variants and snapshots (`gpt-5.4`,
 * `gpt-5.4-mini`, `gpt-5.4-2026-03-05`), not a later version (`gpt-5` does not match `gpt-5.5`).
 */
const table: ReadonlyArray<{ prefix: string; tool: OpenAIComputerTool }> = [
  { prefix: 'gpt-5.6', tool: 'computer' },
  { prefix: 'gpt-5.5', tool: 'computer' },
  { prefix: 'gpt-5.4', tool: 'computer' },
  { prefix: 'gpt-5.3', tool: 'function tools' },
  { prefix: 'gpt-5.2', tool: 'function tools' },
  { prefix: 'gpt-5.1', tool: 'function tools' },
  { prefix: 'gpt-5', tool: 'function tools' },
  { prefix: 'gpt-4.1', tool: 'function tools' },
  { prefix: 'gpt-4o', tool: 'function tools' },
  { prefix: 'gpt-4', tool: 'function tools' },
  { prefix: 'gpt-3.5', tool: 'function tools' },
  { prefix: 'o4', tool: 'function tools' },
  { prefix: 'o3', tool: 'function tools' },
  { prefix: 'o1', tool: 'function tools' },
  { prefix: 'computer-use-preview', tool: 'function tools' },
];

/** The table's rows, for the README and the tests. */
export const openAIComputerToolTable = table;

/** The first GPT version with the native tool. */
const firstNativeVersion = { major: 5, minor: 4 };

/** `gpt-6-sol` → 6.0, `gpt-6.1-terra` → 6.1; undefined for a name without a version (`gpt-test`). */
function gptVersion(id: string): { major: number; minor: number } | undefined {
  const match = /^gpt-(\d+)(?:\.(\d+))?(?:-|$)/.exec(id);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2] ?? '0') };
}

/**
 * The computer tool for a model of a provider. A GPT model the table does not know whose version is
 * 5.4 or later (`gpt-6-sol`) is newer than the table and gets the native tool, as the guide says future
 * models will; any other unknown name keeps the function tools, which every model with tool calling takes.
 */
export function openAIComputerTool(model: string, provider = 'openai'): OpenAIComputerTool {
  if (provider !== 'openai') return 'function tools';
  const id = model.trim().toLowerCase();
  const row = table.find((candidate) => id === candidate.prefix || id.startsWith(`${candidate.prefix}-`));
  if (row) return row.tool;
  const version = gptVersion(id);
  if (!version) return 'function tools';
  const newer =
    version.major > firstNativeVersion.major ||
    (version.major === firstNativeVersion.major && version.minor >= firstNativeVersion.minor);
  return newer ? 'computer' : 'function tools';
}
