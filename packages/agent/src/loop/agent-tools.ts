import { applicationNames } from '@bytebot/protocol';
import { z } from 'zod';
import type { FunctionTool } from '../model/model-provider.ts';

export const setTaskStatusInput = z
  .object({
    status: z
      .enum(['completed', 'needs_help', 'failed'])
      .describe(
        'completed: the task is done; needs_help: a person must answer or act; failed: it cannot be done.',
      ),
    description: z
      .string()
      .min(1)
      .max(4000)
      .describe('What was done, what help is needed, or why it failed.'),
  })
  .strict();

export const readFileInput = z
  .object({
    path: z
      .string()
      .min(1)
      .max(4096)
      .describe("Path inside the desktop user's home, e.g. Documents/notes.txt."),
  })
  .strict();

export const writeFileInput = z
  .object({
    path: z
      .string()
      .min(1)
      .max(4096)
      .describe("Path inside the desktop user's home; missing folders are created."),
    content: z.string().max(1_000_000).describe('The text to write (UTF-8).'),
  })
  .strict();

export const openApplicationInput = z
  .object({
    application: z
      .enum(applicationNames)
      .describe(
        'firefox, terminal, file_manager, text_editor, or desktop (shows the desktop, minimizing windows).',
      ),
  })
  .strict();

function tool(name: string, description: string, schema: z.ZodType): FunctionTool {
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return { name, description, inputSchema };
}

/** The tools of ours the model gets beside the computer. */
export const agentTools: FunctionTool[] = [
  tool(
    'set_task_status',
    'Ends your turn on the task: call it when the task is done, when you need a person (a password, a decision, ' +
      'something you cannot do), or when the task cannot be done. Describe the outcome.',
    setTaskStatusInput,
  ),
  tool(
    'open_application',
    'Opens an application, or brings its window to the front when it is already open. Faster and surer than ' +
      'finding it in a menu. You get a screenshot once its window is shown.',
    openApplicationInput,
  ),
  tool(
    'read_file',
    "Reads a text file from the desktop user's home directly, without opening an application.",
    readFileInput,
  ),
  tool(
    'write_file',
    "Writes a text file in the desktop user's home directly, without opening an application.",
    writeFileInput,
  ),
];
