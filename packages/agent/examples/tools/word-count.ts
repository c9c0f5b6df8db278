/**
 * An example custom tool: counts the words and lines of a text file in the desktop user's home.
 * Start the agent with BYTEBOT_TOOLS_DIR=packages/agent/examples/tools to offer it to the model.
 */
import { defineTool } from '@bytebot/agent';
import { z } from 'zod';

export default defineTool({
  name: 'word_count',
  description:
    "Counts the words and lines of a text file in the desktop user's home, e.g. Documents/report.txt.",
  inputSchema: z
    .object({ path: z.string().min(1).describe("The file's path inside the home folder.") })
    .strict(),
  async handler({ path }, { desktop }) {
    const file = await desktop.readFile(path);
    const text = file.content.toString('utf8');
    const words = text.split(/\s+/).filter((word) => word !== '').length;
    const lines = text === '' ? 0 : text.split('\n').length;
    return `${file.path} has ${words} words on ${lines} lines.`;
  },
});
