import type { EvalTask } from '../../eval-task.ts';
import { failed, passed, xfconfValue } from './checks.ts';
import { openApplication, pause } from './solution-steps.ts';

export const settingsTasks: EvalTask[] = [
  {
    id: 'settings-workspace-count',
    description: 'Reduce the number of workspaces on this desktop from 4 to 2.',
    difficulty: 'easy',
    applications: ['settings'],
    async setup() {},
    async check(context) {
      const count = await xfconfValue(context, 'xfwm4', '/general/workspace_count');
      return count === '2'
        ? passed('xfwm4 /general/workspace_count is 2')
        : failed(`xfwm4 /general/workspace_count is ${count ?? 'not set'}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'xfconf-query -c xfwm4 -p /general/workspace_count -s 2\n' },
      pause(),
    ],
  },
  {
    id: 'settings-keyboard-repeat',
    description:
      'Change the keyboard settings so a held key starts repeating after 400 ms and then repeats 30 times per second.',
    difficulty: 'medium',
    applications: ['settings'],
    async setup() {},
    async check(context) {
      const delay = await xfconfValue(context, 'keyboards', '/Default/KeyRepeat/Delay');
      const rate = await xfconfValue(context, 'keyboards', '/Default/KeyRepeat/Rate');
      return delay === '400' && rate === '30'
        ? passed('the key repeat delay is 400 ms and its rate 30 per second')
        : failed(`the key repeat delay is ${delay ?? 'not set'}, its rate ${rate ?? 'not set'}`);
    },
    // The keyboards channel does not exist until someone changes a keyboard setting: -n -t create them.
    solution: () => [
      ...openApplication('terminal'),
      {
        action: 'type_text',
        text:
          'xfconf-query -c keyboards -p /Default/KeyRepeat/Delay -n -t int -s 400 && ' +
          'xfconf-query -c keyboards -p /Default/KeyRepeat/Rate -n -t int -s 30\n',
      },
      pause(),
    ],
  },
  {
    id: 'settings-window-theme',
    description: "Switch the window manager's theme (the style of window borders and title bars) to Moheli.",
    difficulty: 'medium',
    applications: ['settings'],
    async setup() {},
    async check(context) {
      const theme = await xfconfValue(context, 'xfwm4', '/general/theme');
      return theme === 'Moheli'
        ? passed('xfwm4 /general/theme is Moheli')
        : failed(`xfwm4 /general/theme is ${theme ?? 'not set'}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'xfconf-query -c xfwm4 -p /general/theme -s Moheli\n' },
      pause(),
    ],
  },
];
