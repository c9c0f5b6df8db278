import type { EvalTask, SolutionStep } from '../../eval-task.ts';
import { all, failed, isFolder, passed, rememberInodes, sameInode, shown, xfconfValue } from './checks.ts';
import { openFileManager } from './open-applications.ts';
import { pause, press } from './solution-steps.ts';

/**
 * Selects the files of Thunar's current folder whose names match a pattern, through Edit > Select by
 * Pattern: typing a name in the view would open the type-ahead search instead, which keeps the keys.
 */
const selectByPattern = (pattern: string): SolutionStep[] => [
  press('ctrl', 's'),
  pause(),
  { action: 'type_text', text: pattern },
  press('Return'),
  pause(),
];

const downloads: Record<string, string> = {
  'Downloads/invoice-march.pdf': '%PDF-1.4 invoice for March\n',
  'Downloads/tax-return.pdf': '%PDF-1.4 tax return\n',
  'Downloads/song.mp3': 'not really an mp3\n',
  'Downloads/notes.txt': 'remember to file the PDFs\n',
};

const pdfs = Object.keys(downloads).filter((path) => path.endsWith('.pdf'));

const cluttered: Record<string, string> = {
  'Downloads/cache-1.tmp': 'temporary\n',
  'Downloads/cache-2.tmp': 'temporary\n',
  'Downloads/upload.tmp': 'temporary\n',
  'Downloads/template.tmpl': 'a template, not a temporary file\n',
  'Downloads/report.pdf': '%PDF-1.4 report\n',
  'Downloads/todo.txt': 'clean up Downloads\n',
};

export const fileManagerTasks: EvalTask[] = [
  {
    id: 'files-rename-draft',
    description: 'In the file manager, rename draft.txt in the Documents folder to final-report.txt.',
    difficulty: 'easy',
    applications: ['file_manager'],
    async setup(context) {
      await context.writeFile('Documents/draft.txt', 'Quarterly report, final version.\n');
      await context.writeFile('Documents/draft-ideas.txt', 'Ideas that did not make it.\n');
      await rememberInodes(context, ['Documents/draft.txt']);
      await openFileManager(context, 'Documents');
    },
    async check(context) {
      const renamed = await context.readFile('Documents/final-report.txt');
      if (renamed !== 'Quarterly report, final version.\n')
        return failed(
          renamed === undefined
            ? '~/Documents/final-report.txt does not exist'
            : 'final-report.txt holds other text',
        );
      if (await context.exists('Documents/draft.txt'))
        return failed('~/Documents/draft.txt is still there (copied, not renamed)');
      if (!(await context.exists('Documents/draft-ideas.txt')))
        return failed('draft-ideas.txt is gone: the wrong file was renamed too');
      return all(
        passed('draft.txt is now final-report.txt'),
        await sameInode(context, 'Documents/draft.txt', 'Documents/final-report.txt'),
      );
    },
    solution: () => [
      ...selectByPattern('draft.txt'),
      press('F2'),
      pause(),
      press('ctrl', 'a'),
      { action: 'type_text', text: 'final-report.txt\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'copied to final-report.txt and draft.txt deleted (not renamed)',
        apply: async (context) => {
          await context.run('cp', ['Documents/draft.txt', 'Documents/final-report.txt']);
          await context.run('rm', ['Documents/draft.txt']);
        },
      },
      {
        name: 'draft-ideas.txt renamed instead',
        apply: async (context) => {
          await context.run('mv', ['Documents/draft-ideas.txt', 'Documents/final-report.txt']);
        },
      },
      {
        name: 'renamed to final-report.txt.txt',
        apply: async (context) => {
          await context.run('mv', ['Documents/draft.txt', 'Documents/final-report.txt.txt']);
        },
      },
    ],
    shortcut: () => [{ path: 'Documents/final-report.txt', content: 'Quarterly report, final version.\n' }],
  },
  {
    id: 'files-new-folder',
    description: 'Using the file manager, create a new folder named Invoices inside the Documents folder.',
    difficulty: 'easy',
    applications: ['file_manager'],
    async setup(context) {
      await context.writeFile('Documents/receipt.txt', 'Receipt 118\n');
      await openFileManager(context, 'Documents');
    },
    async check(context) {
      if (!(await isFolder(context, 'Documents/Invoices')))
        return failed('there is no folder ~/Documents/Invoices');
      // A new folder is empty; and a file tool, which writes only files, cannot make an empty folder.
      const inside = await context.run('ls', ['-A', `${context.home}/Documents/Invoices`]);
      return inside.stdout.trim() === ''
        ? passed('~/Documents/Invoices is a new, empty folder')
        : failed(`~/Documents/Invoices is not empty: it holds ${shown(inside.stdout)}`);
    },
    solution: () => [
      press('ctrl', 'shift', 'n'),
      pause(),
      { action: 'type_text', text: 'Invoices\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'named "invoices" in lower case',
        apply: async (context) => {
          await context.run('mkdir', ['Documents/invoices']);
        },
      },
      {
        name: 'made in the home folder, not in Documents',
        apply: async (context) => {
          await context.run('mkdir', ['Invoices']);
        },
      },
      {
        name: 'a file named Invoices, not a folder',
        apply: (context) => context.writeFile('Documents/Invoices', ''),
      },
    ],
    shortcut: () => [{ path: 'Documents/Invoices/.keep', content: '' }],
  },
  {
    id: 'files-show-hidden',
    description: 'Make the file manager show hidden files.',
    difficulty: 'easy',
    applications: ['file_manager', 'settings'],
    async setup(context) {
      await context.writeFile('.hidden-notes.txt', 'You found me.\n');
      await openFileManager(context, '');
    },
    async check(context) {
      const value = await xfconfValue(context, 'thunar', '/last-show-hidden');
      return value === 'true'
        ? passed("Thunar's /last-show-hidden is true")
        : failed(`Thunar's /last-show-hidden is ${value ?? 'not set'}`);
    },
    solution: () => [press('ctrl', 'h'), pause()],
    nearMisses: () => [
      {
        name: 'shown, then hidden again',
        apply: async (context) => {
          await context.run('xfconf-query', [
            '-c',
            'thunar',
            '-p',
            '/last-show-hidden',
            '-n',
            '-t',
            'bool',
            '-s',
            'false',
          ]);
        },
      },
    ],
  },
  {
    id: 'files-move-pdfs',
    description:
      'With the file manager, move every PDF file from Downloads into the folder Documents/Work; the other downloads stay where they are.',
    difficulty: 'medium',
    applications: ['file_manager'],
    async setup(context) {
      for (const [path, content] of Object.entries(downloads)) await context.writeFile(path, content);
      await context.writeFile('Documents/Work/plan.txt', 'Work plan\n');
      await rememberInodes(context, pdfs);
      await openFileManager(context, 'Downloads');
    },
    async check(context) {
      const problems: string[] = [];
      for (const [path, content] of Object.entries(downloads)) {
        const name = path.slice('Downloads/'.length);
        const target = name.endsWith('.pdf') ? `Documents/Work/${name}` : path;
        if ((await context.readFile(target)) !== content) problems.push(`~/${target} is missing or changed`);
        if (name.endsWith('.pdf') && (await context.exists(path))) problems.push(`~/${path} is still there`);
      }
      if (problems.length > 0) return failed(problems.join('; '));
      // Moved, not copied and deleted, nor written anew: each keeps its inode.
      for (const path of pdfs) {
        const moved = await sameInode(context, path, `Documents/Work/${path.slice('Downloads/'.length)}`);
        if (!moved.passed) return moved;
      }
      return passed('both PDFs were moved to ~/Documents/Work, the rest stayed in ~/Downloads');
    },
    solution: (context) => [
      ...selectByPattern('*.pdf'),
      press('ctrl', 'x'),
      press('ctrl', 'l'),
      { action: 'type_text', text: `${context.home}/Documents/Work` },
      pause(),
      press('Return'),
      pause(),
      press('ctrl', 'v'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the PDFs copied, the originals left',
        apply: async (context) => {
          await context.run('sh', ['-c', 'cp Downloads/*.pdf Documents/Work/']);
        },
      },
      {
        name: 'every download moved',
        apply: async (context) => {
          await context.run('sh', ['-c', 'mv Downloads/* Documents/Work/']);
        },
      },
      {
        name: 'the PDFs copied, then the originals deleted',
        apply: async (context) => {
          await context.run('sh', ['-c', 'cp Downloads/*.pdf Documents/Work/ && rm Downloads/*.pdf']);
        },
      },
    ],
    shortcut: () =>
      pdfs.map((path) => ({
        path: `Documents/Work/${path.slice('Downloads/'.length)}`,
        content: downloads[path] ?? '',
      })),
  },
  {
    id: 'files-delete-temporary',
    description:
      'Delete all the .tmp files in the Downloads folder using the file manager, and nothing else.',
    difficulty: 'medium',
    applications: ['file_manager'],
    async setup(context) {
      for (const [path, content] of Object.entries(cluttered)) await context.writeFile(path, content);
      await openFileManager(context, 'Downloads');
    },
    async check(context) {
      const problems: string[] = [];
      for (const [path, content] of Object.entries(cluttered)) {
        const temporary = path.endsWith('.tmp');
        const actual = await context.readFile(path);
        if (temporary && actual !== undefined) problems.push(`~/${path} is still there`);
        if (!temporary && actual !== content) problems.push(`~/${path} is gone or changed`);
      }
      return problems.length === 0
        ? passed('the three .tmp files are gone, the rest is there')
        : failed(problems.join('; '));
    },
    solution: () => [...selectByPattern('*.tmp'), press('Delete'), pause(), press('Return'), pause()],
    nearMisses: () => [
      {
        name: 'template.tmpl deleted too',
        apply: async (context) => {
          await context.run('sh', ['-c', 'rm Downloads/*.tmp*']);
        },
      },
      {
        name: 'one .tmp file left',
        apply: async (context) => {
          await context.run('rm', ['Downloads/cache-1.tmp', 'Downloads/cache-2.tmp']);
        },
      },
    ],
  },
];
