import type { EvalTask } from '../../eval-task.ts';
import { failed, field, lastRecord, passed } from './checks.ts';
import { openPageInFirefox } from './open-applications.ts';
import { orders } from './pages.ts';
import { pause, press } from './solution-steps.ts';

const sameWords = (actual: string, expected: string) =>
  actual.replace(/\s+/g, ' ').trim().toLowerCase() === expected.toLowerCase();

const ruthBakersOrder = orders.find((order) => order.customer === 'Ruth Baker');
if (!ruthBakersOrder) throw new Error("the orders page lost Ruth Baker's order");

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
      const record = lastRecord(context, 'signup', (candidate) => candidate.data.submitted === true);
      if (!record) return failed('the sign-up form was never submitted');
      const [name, email, plan] = [field(record, 'name'), field(record, 'email'), field(record, 'plan')];
      const ok =
        sameWords(name, 'Dana Scully') && email.toLowerCase() === 'dana.scully@example.org' && plan === 'pro';
      return ok
        ? passed('the form was submitted for Dana Scully on the Pro plan')
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
      const record = lastRecord(context, 'packing', (candidate) => candidate.data.saved === true);
      if (!record) return failed('the packing list was never saved');
      const checked = Array.isArray(record.data.checked) ? record.data.checked.map(String).sort() : [];
      const expected = ['Passport', 'Sunscreen', 'Swimsuit'];
      return checked.join(',') === expected.join(',')
        ? passed('the list was saved with Passport, Sunscreen and Swimsuit ticked')
        : failed(`the list was last saved with ${checked.join(', ') || 'nothing'} ticked`);
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
      return firefox.some((title) => /^Returns and refunds . Mozilla Firefox$/.test(title))
        ? passed('Firefox shows the "Returns and refunds" page')
        : failed(
            `Firefox's window is titled ${JSON.stringify(firefox.join(' | ') || 'nothing (no Firefox window)')}`,
          );
    },
    solution: (context) => [
      press('ctrl', 'l'),
      pause(),
      { action: 'type_text', text: `${context.pageUrl('/help-returns.html')}\n` },
      pause(2000),
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
      const record = lastRecord(context, 'preferences', (candidate) => candidate.data.submitted === true);
      if (!record) return failed('the preferences were never saved');
      const [language, digest, darkMode] = [record.data.language, record.data.digest, record.data.darkMode];
      return language === 'es' && digest === 'weekly' && darkMode === true
        ? passed('the preferences were saved as Español, weekly digest, dark mode')
        : failed(
            `the preferences were saved as language ${language}, digest ${digest}, dark mode ${darkMode}`,
          );
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
      const record = lastRecord(context, 'refund', (candidate) => candidate.data.submitted === true);
      if (!record) return failed('no refund was requested');
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
            `a refund of ${ruthBakersOrder.total} for order ${ruthBakersOrder.number} was requested (damaged)`,
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
  },
];
