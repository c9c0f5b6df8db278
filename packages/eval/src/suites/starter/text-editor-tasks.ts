import type { EvalTask } from '../../eval-task.ts';
import {
  addToMousepadRecent,
  all,
  checkFileLines,
  failed,
  inMousepadRecent,
  lines,
  passed,
  rememberInodes,
  saveAsEditorWould,
  savedByEditor,
  shown,
} from './checks.ts';
import { openInTextEditor } from './open-applications.ts';
import { openApplication, pause, press } from './solution-steps.ts';

const todo = ['- call the bank', '- renew passport', '- water the plants'];

const letter = [
  'Dear Ms. Novak,',
  '',
  'Thank you for your order. You will recieve a confirmation e-mail today,',
  'and you should recieve the parcel within five working days.',
  'If you do not recieve it by then, please write to us.',
  '',
  'Kind regards,',
  'Tom',
];
const correctedLetter = letter.map((line) => line.replaceAll('recieve', 'receive'));

const settings = [
  '[database]',
  'host = db.internal',
  'port = 5432',
  '',
  '[server]',
  'host = 0.0.0.0',
  'port = 8080',
  'workers = 4',
];
const changedSettings = settings.map((line, index) => (index === 6 ? 'port = 9090' : line));
/** "port=9090" and "port = 9090" say the same thing. */
const normalizeSetting = (line: string) => line.replace(/\s*=\s*/, ' = ');

/** A list item as written, without the bullet or number one may put before it. */
const listItem = (line: string) =>
  line
    .trim()
    .replace(/^([-*•]|\d+[.)])\s*/, '')
    .toLowerCase();

export const textEditorTasks: EvalTask[] = [
  {
    id: 'editor-append-todo',
    description:
      'Add "- buy milk" as a new last line of the to-do list open in the text editor, and save the file.',
    difficulty: 'easy',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('todo.txt', `${todo.join('\n')}\n`);
      await rememberInodes(context, ['todo.txt']);
      await openInTextEditor(context, 'todo.txt');
    },
    async check(context) {
      const content = await checkFileLines(context, 'todo.txt', [...todo, '- buy milk']);
      return content.passed ? all(content, await savedByEditor(context, 'todo.txt')) : content;
    },
    solution: () => [
      press('ctrl', 'End'),
      { action: 'type_text', text: '- buy milk\n' },
      press('ctrl', 's'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the item added first, not last',
        apply: (context) => saveAsEditorWould(context, 'todo.txt', `- buy milk\n${todo.join('\n')}\n`),
      },
      {
        name: 'the item without its dash',
        apply: (context) => saveAsEditorWould(context, 'todo.txt', `${todo.join('\n')}\nbuy milk\n`),
      },
    ],
    shortcut: () => [{ path: 'todo.txt', content: `${[...todo, '- buy milk'].join('\n')}\n` }],
  },
  {
    id: 'editor-fix-spelling',
    description:
      'The letter open in the text editor misspells "receive" as "recieve". Correct every occurrence, change nothing else, and save it.',
    difficulty: 'medium',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('letter.txt', `${letter.join('\n')}\n`);
      await rememberInodes(context, ['letter.txt']);
      await openInTextEditor(context, 'letter.txt');
    },
    async check(context) {
      const content = await checkFileLines(context, 'letter.txt', correctedLetter);
      return content.passed ? all(content, await savedByEditor(context, 'letter.txt')) : content;
    },
    solution: () => [
      press('ctrl', 'a'),
      { action: 'type_text', text: `${correctedLetter.join('\n')}\n` },
      press('ctrl', 's'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the last "recieve" left',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'letter.txt',
            `${letter.map((line, index) => (index === 4 ? line : line.replaceAll('recieve', 'receive'))).join('\n')}\n`,
          ),
      },
      {
        name: 'the greeting changed too',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'letter.txt',
            `${correctedLetter.map((line) => line.replace('Ms.', 'Ms')).join('\n')}\n`,
          ),
      },
    ],
    shortcut: () => [{ path: 'letter.txt', content: `${correctedLetter.join('\n')}\n` }],
  },
  {
    id: 'editor-change-server-port',
    description:
      "In the settings file open in the text editor, change the server's port from 8080 to 9090 (the database port stays as it is), then save.",
    difficulty: 'medium',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('app.ini', `${settings.join('\n')}\n`);
      await rememberInodes(context, ['app.ini']);
      await openInTextEditor(context, 'app.ini');
    },
    async check(context) {
      const content = await context.readFile('app.ini');
      if (content === undefined) return failed('~/app.ini does not exist');
      const actual = lines(content).map(normalizeSetting);
      if (actual.join('\n') !== changedSettings.join('\n'))
        return failed(`~/app.ini holds ${shown(content)}`);
      return all(
        passed("~/app.ini has the server's port at 9090 and is otherwise unchanged"),
        await savedByEditor(context, 'app.ini'),
      );
    },
    solution: () => [
      press('ctrl', 'a'),
      { action: 'type_text', text: `${changedSettings.join('\n')}\n` },
      press('ctrl', 's'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'both ports changed',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'app.ini',
            `${settings.join('\n').replace('5432', '9090').replace('8080', '9090')}\n`,
          ),
      },
      {
        name: "the database's port changed instead",
        apply: (context) =>
          saveAsEditorWould(context, 'app.ini', `${settings.join('\n').replace('5432', '9090')}\n`),
      },
    ],
    shortcut: () => [{ path: 'app.ini', content: `${changedSettings.join('\n')}\n` }],
  },
  {
    id: 'editor-save-shopping-list',
    description:
      'Open the text editor, write a shopping list of eggs, flour and sugar, one item per line, and save it as shopping.txt in the Documents folder.',
    difficulty: 'medium',
    applications: ['text_editor'],
    async setup(context) {
      await context.run('mkdir', ['-p', `${context.home}/Documents`]);
    },
    async check(context) {
      const content = await context.readFile('Documents/shopping.txt');
      if (content === undefined) return failed('~/Documents/shopping.txt does not exist');
      const items = lines(content)
        .map(listItem)
        .filter((item) => item !== '')
        .sort();
      if (items.join(',') !== 'eggs,flour,sugar')
        return failed(`~/Documents/shopping.txt holds ${shown(content)}`);
      // Mousepad adds the files it saves under a new name to the recent files list; a file tool does not.
      return (await inMousepadRecent(context, 'Documents/shopping.txt'))
        ? passed('the text editor saved ~/Documents/shopping.txt, listing eggs, flour and sugar')
        : failed(
            "~/Documents/shopping.txt lists the items, but the text editor never saved it (it is not in Mousepad's recent files)",
          );
    },
    // The save dialog looks up completions for a typed path while one types; a Return that comes before
    // they are in is lost, so it waits and goes as a step of its own.
    solution: (context) => [
      ...openApplication('text_editor'),
      { action: 'type_text', text: 'eggs\nflour\nsugar\n' },
      press('ctrl', 's'),
      pause(),
      { action: 'type_text', text: `${context.home}/Documents/shopping.txt` },
      pause(),
      press('Return'),
      pause(1500),
    ],
    nearMisses: () => [
      {
        name: 'saved in the home folder, not in Documents',
        apply: async (context) => {
          await context.writeFile('shopping.txt', 'eggs\nflour\nsugar\n');
          await addToMousepadRecent(context, 'shopping.txt');
        },
      },
      {
        name: 'the items on one line',
        apply: async (context) => {
          await context.writeFile('Documents/shopping.txt', 'eggs, flour, sugar\n');
          await addToMousepadRecent(context, 'Documents/shopping.txt');
        },
      },
    ],
    shortcut: () => [{ path: 'Documents/shopping.txt', content: 'eggs\nflour\nsugar\n' }],
  },
];
