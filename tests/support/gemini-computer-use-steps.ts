import { reply, type ScriptStep } from './scripted-gemini-server.ts';

/** Gemini 3.5's predefined functions the scripts use; the others are our function tools. */
export const predefinedFunctions = new Set(['take_screenshot', 'type', 'hotkey', 'wait', 'press_key']);

/** A call as Gemini 3.5 sends it: an id, a thought signature, and for a predefined function its intent. */
export function call(name: string, args: Record<string, unknown>, id: string): ScriptStep {
  return reply.call(name, predefinedFunctions.has(name) ? { ...args, intent: `step ${id}` } : args, {
    id,
    thoughtSignature: Buffer.from(`sig-${id}`).toString('base64'),
  });
}

/** Saving in Mousepad's dialog: Control+S, the dialog's time to open, the path, Enter, and done. */
export function saveAs(path: string, prefix: string): ScriptStep[] {
  return [
    call('hotkey', { keys: ['Control', 's'] }, `${prefix}-save`),
    // The save dialog takes a moment to open; a real model waits too (two calls in one turn, each answered).
    reply.calls(
      { name: 'wait', args: { seconds: 2 }, id: `${prefix}-wait`, thoughtSignature: 'U0lHLXdhaXQ=' },
      { name: 'take_screenshot', args: {}, id: `${prefix}-peek` },
    ),
    call('type', { text: path }, `${prefix}-path`),
    // The file chooser loads the typed folder before it accepts Enter.
    call('wait', { seconds: 1 }, `${prefix}-settle`),
    call('press_key', { key: 'Enter' }, `${prefix}-enter`),
    call('wait', { seconds: 1 }, `${prefix}-saved`),
    call(
      'set_task_status',
      { status: 'completed', description: `Saved the sentence in ${path}` },
      `${prefix}-done`,
    ),
  ];
}
