import type { EvalTask, SolutionStep, TaskContext } from '../../eval-task.ts';
import { failed, passed, xfconfValue } from './checks.ts';
import { pause, press } from './solution-steps.ts';

/**
 * Opens an XFCE settings dialog as a person would without the menu: Alt+F2 brings up the application
 * finder, the dialog's command is typed and Return launches it. The Return must be a key of its own: a
 * newline typed with the command arrives before the finder has matched it and is lost. The dialogs open
 * centred, so the coordinates below hold on the 1280x960 screen.
 */
const openSettingsDialog = (command: string): SolutionStep[] => [
  press('alt', 'F2'),
  pause(1000),
  { action: 'type_text', text: command },
  pause(300),
  press('Return'),
  pause(3000),
];

const click = (x: number, y: number): SolutionStep => ({
  action: 'click_mouse',
  coordinates: { x, y },
  button: 'left',
  clickCount: 1,
});

/** The number of workspaces the window manager has made (the root window's _NET_NUMBER_OF_DESKTOPS). */
async function effectiveWorkspaceCount(context: TaskContext): Promise<string | undefined> {
  const result = await context.run('xprop', ['-root', '_NET_NUMBER_OF_DESKTOPS']);
  return result.exitCode === 0 ? /=\s*(\d+)/.exec(result.stdout)?.[1] : undefined;
}

/** The X server's key repeat delay and rate in force, as `xset q` reports them. */
async function effectiveKeyRepeat(context: TaskContext): Promise<{ delay?: string; rate?: string }> {
  const result = await context.run('xset', ['q']);
  const match = /auto repeat delay:\s*(\d+)\s+repeat rate:\s*(\d+)/.exec(result.stdout);
  return match ? { delay: match[1], rate: match[2] } : {};
}

export const settingsTasks: EvalTask[] = [
  {
    id: 'settings-workspace-count',
    description: 'Reduce the number of workspaces on this desktop from 4 to 2.',
    difficulty: 'easy',
    applications: ['settings'],
    async setup() {},
    // The effect (the workspaces the window manager has) is what counts; xfconf, where the settings
    // dialog writes it, is read too for the report and in case the window manager has not caught up.
    async check(context) {
      const effective = await effectiveWorkspaceCount(context);
      const configured = await xfconfValue(context, 'xfwm4', '/general/workspace_count');
      const seen = `the window manager has ${effective ?? 'an unknown number of'} workspaces (root window _NET_NUMBER_OF_DESKTOPS), xfconf xfwm4 /general/workspace_count is ${configured ?? 'not set'}`;
      if (effective === '2') return passed(`read from the root window: ${seen}`);
      if (effective === undefined && configured === '2') return passed(`read from xfconf: ${seen}`);
      return failed(seen);
    },
    nearMisses: () => [
      {
        name: 'three workspaces instead of two',
        async apply(context) {
          await context.run('wmctrl', ['-n', '3']);
        },
      },
    ],
    // Settings > Workspaces: the "-" of the "Number of workspaces" spin button, twice.
    solution: () => [
      ...openSettingsDialog('xfwm4-workspace-settings'),
      click(603, 376),
      pause(500),
      click(603, 376),
      pause(800),
    ],
  },
  {
    id: 'settings-keyboard-repeat',
    description:
      'Change the keyboard settings so a held key starts repeating after 400 ms and then repeats 30 times per second.',
    difficulty: 'medium',
    applications: ['settings'],
    async setup() {},
    // What a held key does is the X server's repeat setting (`xset q`): `xset r rate 400 30` changes it
    // without xfconf, the settings dialog changes both (xfsettingsd applies xfconf's keyboards channel).
    async check(context) {
      const effective = await effectiveKeyRepeat(context);
      const delay = await xfconfValue(context, 'keyboards', '/Default/KeyRepeat/Delay');
      const rate = await xfconfValue(context, 'keyboards', '/Default/KeyRepeat/Rate');
      const seen =
        `the X server repeats after ${effective.delay ?? '?'} ms at ${effective.rate ?? '?'} per second (xset q); ` +
        `xfconf keyboards has delay ${delay ?? 'not set'}, rate ${rate ?? 'not set'}`;
      if (effective.delay === '400' && effective.rate === '30') return passed(`read from xset q: ${seen}`);
      if (effective.delay === undefined && delay === '400' && rate === '30')
        return passed(`read from xfconf: ${seen}`);
      return failed(seen);
    },
    nearMisses: () => [
      {
        name: 'the delay set to 400 ms but the rate left at 20 per second',
        async apply(context) {
          await context.run('xset', ['r', 'rate', '400', '20']);
        },
      },
      {
        name: 'the rate set to 30 per second but the delay left at 500 ms',
        async apply(context) {
          await context.run('xset', ['r', 'rate', '500', '30']);
        },
      },
    ],
    // Settings > Keyboard, Behavior tab. A click on a slider's trough moves the knob there (about 3.4 ms
    // a pixel for the delay, 0.8 per second for the rate); the arrow keys then step the focused slider by 1.
    // From the dialog's defaults (500 ms, 20 per second), x=605 gives 398 ms and x=527 gives 31 per second.
    solution: () => [
      ...openSettingsDialog('xfce4-keyboard-settings'),
      click(605, 391),
      pause(400),
      press('Right'),
      press('Right'),
      pause(400),
      click(527, 454),
      pause(400),
      press('Left'),
      pause(800),
    ],
  },
  {
    id: 'settings-window-theme',
    description: "Switch the window manager's theme (the style of window borders and title bars) to Moheli.",
    difficulty: 'medium',
    applications: ['settings'],
    async setup() {},
    // xfwm4 takes its theme from xfconf and nothing else: xfconf is the setting and its effect.
    async check(context) {
      const theme = await xfconfValue(context, 'xfwm4', '/general/theme');
      return theme === 'Moheli'
        ? passed('read from xfconf: xfwm4 /general/theme is Moheli')
        : failed(`read from xfconf: xfwm4 /general/theme is ${theme ?? 'not set'}`);
    },
    nearMisses: () => [
      {
        name: 'the neighbouring theme Kokodi chosen instead',
        async apply(context) {
          await context.run('xfconf-query', ['-c', 'xfwm4', '-p', '/general/theme', '-s', 'Kokodi']);
        },
      },
    ],
    // Settings > Window Manager, Style tab: Moheli in the theme list.
    solution: () => [...openSettingsDialog('xfwm4-settings'), click(399, 441), pause(800)],
  },
];
