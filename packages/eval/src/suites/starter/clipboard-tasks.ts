import type { EvalTask } from '../../eval-task.ts';
import { copyToClipboard, failed, passed, shown } from './checks.ts';
import { openInTextEditor, openPageInFirefox } from './open-applications.ts';
import { couponCode } from './pages.ts';
import { pause, press } from './solution-steps.ts';

const wifiPassword = 'tidal-lantern-58';

export const clipboardTasks: EvalTask[] = [
  {
    id: 'clipboard-coupon-code',
    description: 'Copy the coupon code shown in Firefox to the clipboard.',
    difficulty: 'easy',
    applications: ['firefox', 'clipboard'],
    async setup(context) {
      await openPageInFirefox(context, '/coupon.html', 'Your coupon');
    },
    async check(context) {
      const clipboard = await context.clipboard();
      return clipboard.trim() === couponCode
        ? passed('the clipboard holds the coupon code')
        : failed(`the clipboard holds ${shown(clipboard)}`);
    },
    // Tabbing into a text field selects its text.
    solution: () => [press('Tab'), pause(), press('ctrl', 'c'), pause()],
    nearMisses: () => [
      {
        name: 'the sentence with the code copied',
        apply: (context) => copyToClipboard(context, `Use this code at checkout for 15% off: ${couponCode}`),
      },
      {
        name: 'the code without its last character',
        apply: (context) => copyToClipboard(context, couponCode.slice(0, -1)),
      },
    ],
  },
  {
    id: 'clipboard-wifi-password',
    description:
      'Copy only the Wi-Fi password (not the rest of its line) from the note open in the text editor to the clipboard.',
    difficulty: 'easy',
    applications: ['text_editor', 'clipboard'],
    async setup(context) {
      await context.writeFile(
        'wifi.txt',
        `Guest network\nName: Harbor-Guest\nPassword: ${wifiPassword}\nValid until Friday.\n`,
      );
      await openInTextEditor(context, 'wifi.txt');
    },
    async check(context) {
      const clipboard = await context.clipboard();
      return clipboard.trim() === wifiPassword
        ? passed('the clipboard holds the Wi-Fi password')
        : failed(`the clipboard holds ${shown(clipboard)}`);
    },
    // From the end of the password's line, five word steps back cover "tidal-lantern-58": the editor
    // counts each hyphen as a word of its own.
    solution: () => [
      press('ctrl', 'Home'),
      press('Down'),
      press('Down'),
      press('End'),
      ...Array.from({ length: 5 }, () => press('ctrl', 'shift', 'Left')),
      press('ctrl', 'c'),
    ],
    nearMisses: () => [
      {
        name: 'the whole line copied',
        apply: (context) => copyToClipboard(context, `Password: ${wifiPassword}`),
      },
      {
        name: 'the password cut short at a hyphen',
        apply: (context) => copyToClipboard(context, wifiPassword.slice(0, wifiPassword.lastIndexOf('-'))),
      },
    ],
  },
];
