import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningDesktop } from '@bytebot/desktop';
import {
  type ComputerActionSpec,
  reply,
  type SafetyCheckSpec,
  type ScriptStep,
} from './scripted-openai-responses-server.ts';

const execFileAsync = promisify(execFile);

/** The middle of the focused window (the editor's text), in screen pixels: the model's picture is the screen. */
async function activeWindowCentre(desktop: RunningDesktop): Promise<{ x: number; y: number }> {
  const { stdout } = await execFileAsync('xdotool', ['getactivewindow', 'getwindowgeometry', '--shell'], {
    env: { ...process.env, ...desktop.environment() },
  });
  const value = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(stdout)?.[1]);
  return {
    x: value('X') + Math.floor(value('WIDTH') / 2),
    y: value('Y') + Math.floor(value('HEIGHT') / 2),
  };
}

/** One computer_call of OpenAI's computer tool: click into the editor and type, as one batch. */
export function clickAndType(
  desktop: RunningDesktop,
  sentence: string,
  extra: { safetyChecks?: SafetyCheckSpec[]; held?: boolean } = {},
): ScriptStep {
  return async (request) => {
    const centre = await activeWindowCentre(desktop);
    const actions: ComputerActionSpec[] = [
      { type: 'click', button: 'left', x: centre.x, y: centre.y },
      { type: 'type', text: sentence },
    ];
    return reply.computer(actions, extra)(request);
  };
}

/** Saving in Mousepad's dialog: CTRL+S and the dialog's time to open; the path, a moment, ENTER. */
export function saveInEditor(path: string): ScriptStep[] {
  return [
    reply.computer([{ type: 'keypress', keys: ['CTRL', 'S'] }, { type: 'wait' }]),
    reply.computer([
      { type: 'type', text: path },
      { type: 'wait' },
      { type: 'keypress', keys: ['ENTER'] },
      { type: 'wait' },
    ]),
  ];
}
