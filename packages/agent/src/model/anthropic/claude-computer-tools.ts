/**
 * Which computer tool each Claude model takes: the one table of it. From Anthropic's computer use tool
 * page (https://platform.claude.com/docs/en/agents-and-tools/tool-use/computer-use-tool, its model
 * support and "Earlier tool versions"): on the Claude API, Claude 5.5 and later take computer use only
 * through the client toolset `computer_toolset_20260801` (no beta header) and answer 400 for
 * `computer_20251124` and `computer_20250124`; the models before them keep the beta tool of their
 * version, with its beta header.
 */
export type ClaudeComputerTool =
  | { kind: 'toolset'; type: 'computer_toolset_20260801' }
  | { kind: 'beta'; type: 'computer_20251124'; beta: 'computer-use-2025-11-24' }
  | { kind: 'beta'; type: 'computer_20250124'; beta: 'computer-use-2025-01-24' };

const toolset: ClaudeComputerTool = { kind: 'toolset', type: 'computer_toolset_20260801' };
const beta20251124: ClaudeComputerTool = {
  kind: 'beta',
  type: 'computer_20251124',
  beta: 'computer-use-2025-11-24',
};
const beta20250124: ClaudeComputerTool = {
  kind: 'beta',
  type: 'computer_20250124',
  beta: 'computer-use-2025-01-24',
};

/**
 * Model id prefixes, most specific first; a dated id (`claude-opus-4-5-20251101`) and an alias
 * (`claude-opus-4-5`) match the same row. `highResolution`: the model takes screenshots up to 2576 px
 * (Opus 4.7 and later, https://platform.claude.com/docs/en/build-with-claude/vision); the others 1568 px.
 */
const table: ReadonlyArray<{ prefix: string; tool: ClaudeComputerTool; highResolution: boolean }> = [
  // The toolset: the Claude 5 generation, the Fable and Mythos families, and Opus 4.8. Fable and Mythos
  // 5 and 5.1, Opus 5, Sonnet 5 and Opus 4.8 still take computer_20251124 too; the toolset is preferred.
  { prefix: 'claude-fable-', tool: toolset, highResolution: true },
  { prefix: 'claude-mythos-', tool: toolset, highResolution: true },
  { prefix: 'claude-opus-5', tool: toolset, highResolution: true },
  { prefix: 'claude-sonnet-5', tool: toolset, highResolution: true },
  { prefix: 'claude-haiku-5', tool: toolset, highResolution: true },
  { prefix: 'claude-opus-4-8', tool: toolset, highResolution: true },
  // computer_20251124 (with zoom): Opus 4.7, Opus 4.6, Sonnet 4.6, Opus 4.5.
  { prefix: 'claude-opus-4-7', tool: beta20251124, highResolution: true },
  { prefix: 'claude-opus-4-6', tool: beta20251124, highResolution: false },
  { prefix: 'claude-sonnet-4-6', tool: beta20251124, highResolution: false },
  { prefix: 'claude-opus-4-5', tool: beta20251124, highResolution: false },
  // computer_20250124: Sonnet 4.5, Haiku 4.5, Opus 4.1, Sonnet 4, Opus 4, Sonnet 3.7.
  { prefix: 'claude-sonnet-4-5', tool: beta20250124, highResolution: false },
  { prefix: 'claude-haiku-4-5', tool: beta20250124, highResolution: false },
  { prefix: 'claude-opus-4-1', tool: beta20250124, highResolution: false },
  { prefix: 'claude-sonnet-4', tool: beta20250124, highResolution: false },
  { prefix: 'claude-opus-4', tool: beta20250124, highResolution: false },
  { prefix: 'claude-3-7-sonnet', tool: beta20250124, highResolution: false },
];

/** The table's rows, for the README and the tests. */
export const claudeComputerToolTable = table;

/**
 * The computer tool for a model id, and whether it takes high-resolution screenshots. A model the table
 * does not know is newer than it: it gets the newest tool, which every model since the toolset takes.
 */
export function claudeComputerTool(model: string): ClaudeComputerTool & { highResolution: boolean } {
  const id = model.trim().toLowerCase();
  const row = table.find((candidate) => id.startsWith(candidate.prefix));
  return row ? { ...row.tool, highResolution: row.highResolution } : { ...toolset, highResolution: true };
}
