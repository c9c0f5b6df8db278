import type { EvalTask } from '../../eval-task.ts';
import { failed, field, lastRecord, onlySubmission, passed, postRecord, records } from './checks.ts';
import { firefoxProfile, openPageInFirefox } from './open-applications.ts';
import { orders } from './pages.ts';
import { pause, press } from './solution-steps.ts';

const sameWords = (actual: string, expected: string) =>
  actual.replace(/\s+/g, ' ').trim().toLowerCase() === expected.toLowerCase();

const ruthBakersOrder = orders.find((order) => order.customer === 'Ruth Baker');
if (!ruthBakersOrder) throw new Error("the orders page lost Ruth Baker's order");

/** What the forms post when filled in right (near misses change one thing). */
const dana = { submitted: true, name: 'Dana Scully', email: 'dana.scully@example.org', plan: 'pro' };
const packed = { saved: true, checked: ['Passport', 'Sunscreen', 'Swimsuit'] };
const preferred = { submitted: true, language: 'es', digest: 'weekly', darkMode: true };
const refund = {
  submitted: true,
  order: ruthBakersOrder.number,
  amount: ruthBakersOrder.total,
  reason: 'damaged',
};

export const firefoxTasks: EvalTask[] = [
  {
    id: 'firefox-signup-form',
    description:
      'Firefox shows a sign-up form. Create an account there for Dana Scully, email dana.scully@example.org, on the Pro plan.',
    difficulty: 'easy',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/signup.html', 'Create your account');
    },
    async check(context) {
      // One account was asked for: a second submission, right or wrong, made another.
      const record = onlySubmission(context, 'signup', 'sign-up form');
      if ('passed' in record) return record;
      const [name, email, plan] = [field(record, 'name'), field(record, 'email'), field(record, 'plan')];
      const ok =
        sameWords(name, 'Dana Scully') && email.toLowerCase() === 'dana.scully@example.org' && plan === 'pro';
      return ok
        ? passed('the form was submitted once, for Dana Scully on the Pro plan')
        : failed(
            `the form was submitted with name ${JSON.stringify(name)}, email ${JSON.stringify(email)}, plan ${plan}`,
          );
    },
    solution: () => [
      { action: 'type_text', text: 'Dana Scully' },
      press('Tab'),
      { action: 'type_text', text: 'dana.scully@example.org' },
      press('Tab'),
      { action: 'type_text', text: 'Pro' },
      press('Tab'),
      press('Return'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'sent twice, first with a misspelt e-mail',
        apply: async (context) => {
          await postRecord(context, '/signup.html', 'signup', { ...dana, email: 'dana.scully@example.com' });
          await postRecord(context, '/signup.html', 'signup', dana);
        },
      },
      {
        name: 'sent twice, both right',
        apply: async (context) => {
          await postRecord(context, '/signup.html', 'signup', dana);
          await postRecord(context, '/signup.html', 'signup', dana);
        },
      },
      {
        name: 'sent once on the Basic plan',
        apply: (context) => postRecord(context, '/signup.html', 'signup', { ...dana, plan: 'basic' }),
      },
    ],
  },
  {
    id: 'firefox-packing-checklist',
    description:
      'On the packing list in Firefox, make exactly Passport, Sunscreen and Swimsuit ticked (nothing else), then save the list.',
    difficulty: 'medium',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/packing.html', 'Packing list');
    },
    async check(context) {
      // Saving a list again leaves the same list, so several saves may pass, but every one must be right:
      // a wrong list saved on the way was saved all the same.
      const saves = records(context, 'packing', (candidate) => candidate.data.saved === true);
      if (saves.length === 0) return failed('the packing list was never saved');
      const expected = ['Passport', 'Sunscreen', 'Swimsuit'];
      for (const [index, record] of saves.entries()) {
        const checked = Array.isArray(record.data.checked) ? record.data.checked.map(String).sort() : [];
        if (checked.join(',') !== expected.join(','))
          return failed(
            `save ${index + 1} of ${saves.length} had ${checked.join(', ') || 'nothing'} ticked (every save must be right)`,
          );
      }
      return passed(
        `the list was saved (${saves.length}x) with exactly Passport, Sunscreen and Swimsuit ticked`,
      );
    },
    // Tab walks the boxes in order (Passport, Charger, Sunscreen, Umbrella, Swimsuit, Laptop), then the button.
    solution: () => [
      press('Tab'),
      press('space'),
      press('Tab'),
      press('space'),
      press('Tab'),
      press('space'),
      press('Tab'),
      press('Tab'),
      press('space'),
      press('Tab'),
      press('Tab'),
      press('Return'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'saved with the Charger still ticked',
        apply: (context) =>
          postRecord(context, '/packing.html', 'packing', {
            saved: true,
            checked: ['Passport', 'Charger', 'Sunscreen', 'Swimsuit'],
          }),
      },
      {
        name: 'saved first with the Umbrella, then right',
        apply: async (context) => {
          await postRecord(context, '/packing.html', 'packing', {
            saved: true,
            checked: ['Passport', 'Sunscreen', 'Umbrella'],
          });
          await postRecord(context, '/packing.html', 'packing', packed);
        },
      },
    ],
  },
  {
    id: 'firefox-help-returns-page',
    description: 'In the help center open in Firefox, go to the page that explains how to return an item.',
    difficulty: 'easy',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/help.html', 'Help center');
    },
    async check(context) {
      // A page the model asked for may still be loading when it says it is done: a few seconds' grace.
      await context.waitForWindow(/^Returns and refunds . Mozilla Firefox$/, 3000).catch(() => undefined);
      const titles = await context.windowTitles();
      const firefox = titles.filter((title) => title.endsWith('Mozilla Firefox'));
      if (!firefox.some((title) => /^Returns and refunds . Mozilla Firefox$/.test(title)))
        return failed(
          `Firefox's window is titled ${JSON.stringify(firefox.join(' | ') || 'nothing (no Firefox window)')}`,
        );
      // The title alone could be any page's: the help pages say which of them was shown last.
      const shownLast = lastRecord(context, 'help');
      return shownLast?.data.path === '/help-returns.html' && shownLast.data.heading === 'Returns and refunds'
        ? passed('Firefox shows the "Returns and refunds" page of the help center')
        : failed(
            `the window is titled "Returns and refunds", but the help page shown last was ${JSON.stringify(shownLast?.data ?? 'none')}`,
          );
    },
    solution: (context) => [
      press('ctrl', 'l'),
      pause(),
      { action: 'type_text', text: `${context.pageUrl('/help-returns.html')}\n` },
      pause(2000),
    ],
    nearMisses: () => [
      {
        name: 'the right title on a blank page',
        apply: async (context) => {
          // A file of the home folder: Firefox refuses data: addresses given on its command line.
          await context.writeFile('returns.html', '<title>Returns and refunds</title>');
          context.launch('firefox-esr', [
            '--profile',
            `${context.home}/${firefoxProfile}`,
            `file://${context.home}/returns.html`,
          ]);
          await context.waitForWindow(/^Returns and refunds . Mozilla Firefox$/, 30_000);
        },
      },
      {
        name: 'the returns page shown, then the help center again',
        apply: async (context) => {
          await postRecord(context, '/help-returns.html', 'help', {
            path: '/help-returns.html',
            heading: 'Returns and refunds',
          });
          await postRecord(context, '/help.html', 'help', { path: '/help.html', heading: 'Help center' });
        },
      },
    ],
  },
  {
    id: 'firefox-account-preferences',
    description:
      'Change the account preferences page in Firefox to Spanish (Español), a weekly e-mail digest and dark mode on, and save them.',
    difficulty: 'medium',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/preferences.html', 'Account preferences');
    },
    async check(context) {
      // Saving the same preferences again changes nothing, so several saves may pass, but every one must
      // be right: wrong preferences saved on the way were in force for a while.
      const saves = records(context, 'preferences', (candidate) => candidate.data.submitted === true);
      if (saves.length === 0) return failed('the preferences were never saved');
      for (const [index, record] of saves.entries()) {
        const [language, digest, darkMode] = [record.data.language, record.data.digest, record.data.darkMode];
        if (language !== 'es' || digest !== 'weekly' || darkMode !== true)
          return failed(
            `save ${index + 1} of ${saves.length} was language ${language}, digest ${digest}, dark mode ${darkMode} (every save must be right)`,
          );
      }
      return passed(`the preferences were saved (${saves.length}x) as Español, weekly digest, dark mode`);
    },
    // From the document, Tab reaches the language list, then the checked radio button (arrows move the
    // choice), the dark mode box and the button.
    solution: () => [
      press('Tab'),
      { action: 'type_text', text: 'Esp' },
      press('Tab'),
      press('Down'),
      press('Tab'),
      press('space'),
      press('Tab'),
      press('Return'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'saved with the daily digest left',
        apply: (context) =>
          postRecord(context, '/preferences.html', 'preferences', { ...preferred, digest: 'daily' }),
      },
      {
        name: 'saved first in French, then right',
        apply: async (context) => {
          await postRecord(context, '/preferences.html', 'preferences', { ...preferred, language: 'fr' });
          await postRecord(context, '/preferences.html', 'preferences', preferred);
        },
      },
    ],
  },
  {
    id: 'firefox-refund-lookup',
    description:
      "On the orders page in Firefox, request a full refund of Ruth Baker's order because the item arrived damaged: fill in her order number, the order's total and the reason, then send the request.",
    difficulty: 'hard',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/orders.html', 'Orders');
    },
    async check(context) {
      // One refund was asked for: a second request, right or wrong, asks for money again.
      const record = onlySubmission(context, 'refund', 'refund request');
      if ('passed' in record) return record;
      const [order, amount, reason] = [
        field(record, 'order'),
        field(record, 'amount'),
        field(record, 'reason'),
      ];
      const amountValue = Number(amount.replace(/^(EUR|€)\s*|\s*(EUR|€)$/gi, '').replace(',', '.'));
      const ok =
        order.toUpperCase() === ruthBakersOrder.number &&
        amountValue === Number(ruthBakersOrder.total) &&
        reason === 'damaged';
      return ok
        ? passed(
            `one refund of ${ruthBakersOrder.total} for order ${ruthBakersOrder.number} was requested (damaged)`,
          )
        : failed(
            `the refund requested was for order ${JSON.stringify(order)}, amount ${JSON.stringify(amount)}, reason ${JSON.stringify(reason)}`,
          );
    },
    solution: () => [
      press('Tab'),
      { action: 'type_text', text: ruthBakersOrder.number },
      press('Tab'),
      { action: 'type_text', text: ruthBakersOrder.total },
      press('Tab'),
      { action: 'type_text', text: 'Dam' },
      press('Tab'),
      press('Return'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: "Ruth Barker's order, not Ruth Baker's",
        apply: (context) =>
          postRecord(context, '/orders.html', 'refund', { ...refund, order: 'A-1042', amount: '19.99' }),
      },
      {
        name: 'sent twice, first for the wrong order',
        apply: async (context) => {
          await postRecord(context, '/orders.html', 'refund', {
            ...refund,
            order: 'A-1046',
            amount: '23.75',
          });
          await postRecord(context, '/orders.html', 'refund', refund);
        },
      },
      {
        name: 'the reason left at "Other"',
        apply: (context) => postRecord(context, '/orders.html', 'refund', { ...refund, reason: 'other' }),
      },
    ],
  },
];
