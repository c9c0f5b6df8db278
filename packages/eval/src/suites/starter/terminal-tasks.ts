import type { EvalTask } from '../../eval-task.ts';
import {
  all,
  checkFileLines,
  failed,
  inTerminal,
  isFolder,
  passed,
  recordTerminal,
  shown,
  terminalNamed,
} from './checks.ts';
import { openApplication, pause } from './solution-steps.ts';

/** A server log where 7 lines are errors; "error" also appears in other lines, in other cases. */
const serverLog = [
  '2025-05-01 08:00:01 INFO  server started on port 8080',
  '2025-05-01 08:00:02 INFO  connected to database',
  '2025-05-01 08:03:11 WARN  slow query (1200 ms)',
  '2025-05-01 08:04:45 ERROR payment gateway timed out',
  '2025-05-01 08:05:00 INFO  retrying payment',
  '2025-05-01 08:05:02 ERROR payment gateway timed out',
  '2025-05-01 08:10:13 INFO  user 4411 logged in',
  '2025-05-01 08:12:40 INFO  error page template reloaded',
  '2025-05-01 08:15:09 ERROR disk quota at 95%',
  '2025-05-01 08:16:30 INFO  cache warmed',
  '2025-05-01 08:20:00 WARN  retry budget low',
  '2025-05-01 08:21:14 ERROR could not send e-mail to 4411',
  '2025-05-01 08:22:51 INFO  user 4411 logged out',
  '2025-05-01 08:30:00 INFO  nightly report queued',
  '2025-05-01 08:31:37 ERROR report worker crashed',
  '2025-05-01 08:31:38 INFO  report worker restarted',
  '2025-05-01 08:40:02 ERROR database connection lost',
  '2025-05-01 08:40:05 INFO  database connection restored',
  '2025-05-01 08:45:00 INFO  Errors in the last hour are summarised below',
  '2025-05-01 08:50:29 ERROR payment gateway returned 502',
  '2025-05-01 08:59:59 INFO  hourly summary written',
];
const errorCount = serverLog.filter((line) => / ERROR /.test(line)).length;

const fruits = [
  'pear',
  'apple',
  'kiwi',
  'banana',
  'apple',
  'mango',
  'kiwi',
  'cherry',
  'pear',
  'apple',
  'fig',
];

/** Twelve notes under ~/archive; only one mentions the invoice a task asks about. */
const archiveFiles: Record<string, string> = {
  'archive/2023/q1/meeting-notes.txt': 'Q1 planning: hire two people, move the office.\n',
  'archive/2023/q2/supplier-call.txt': 'Supplier wants invoices INV-4417 and INV-4470 paid by June.\n',
  'archive/2023/q3/todo.txt': 'Renew the domain. Order toner.\n',
  'archive/2023/q4/holiday-party.txt': 'Venue booked for December 15.\n',
  'archive/2024/q1/budget.txt': 'Travel budget cut by 10%.\n',
  'archive/2024/q1/letter-to-bank.txt': 'Please confirm the transfer of March 3.\n',
  'archive/2024/q2/dispute-hartmann.txt':
    'Hartmann GmbH disputes invoice INV-4471 (1,240.00 EUR): the delivery of May 2 was incomplete.\n',
  'archive/2024/q2/onboarding.txt': 'Laptop, badge, accounts for the new hire.\n',
  'archive/2024/q3/ideas.txt': 'A newsletter for customers? Ask marketing.\n',
  'archive/2024/q3/invoices-paid.txt': 'Paid: INV-4460, INV-4462, INV-4468.\n',
  'archive/2024/q4/review.txt': 'Year in review draft, see shared folder.\n',
  'archive/misc/readme.txt': 'Old notes, kept for reference.\n',
};
const disputeFile = 'archive/2024/q2/dispute-hartmann.txt';

const photos: Record<string, string> = {
  'photos/beach.jpg': 'not really a jpeg: beach\n',
  'photos/mountains.jpg': 'not really a jpeg: mountains\n',
  'photos/family/dinner.jpg': 'not really a jpeg: dinner\n',
};

export const terminalTasks: EvalTask[] = [
  {
    id: 'terminal-write-greeting',
    description:
      'Open a terminal and create a file named greeting.txt in the home folder containing the line "hello from bytebot".',
    difficulty: 'easy',
    applications: ['terminal'],
    setup: (context) => recordTerminal(context),
    async check(context) {
      const content = await context.readFile('greeting.txt');
      if (content === undefined) return failed('~/greeting.txt does not exist');
      if (content.trim() !== 'hello from bytebot') return failed(`~/greeting.txt holds ${shown(content)}`);
      return all(passed('~/greeting.txt holds the line'), await terminalNamed(context, ['greeting.txt']));
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: "echo 'hello from bytebot' > ~/greeting.txt\n" },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the line in other case',
        apply: (context) => inTerminal(context, "echo 'Hello from Bytebot' > ~/greeting.txt"),
      },
      {
        name: 'the line twice',
        apply: (context) =>
          inTerminal(
            context,
            "echo 'hello from bytebot' > greeting.txt; echo 'hello from bytebot' >> greeting.txt",
          ),
      },
    ],
    shortcut: () => [{ path: 'greeting.txt', content: 'hello from bytebot\n' }],
  },
  {
    id: 'terminal-project-folders',
    description:
      'Make a folder called atlas in the home folder, with three empty folders inside it named src, tests and docs.',
    difficulty: 'easy',
    applications: ['terminal'],
    setup: (context) => recordTerminal(context),
    async check(context) {
      const wanted = ['atlas/src', 'atlas/tests', 'atlas/docs'];
      const missing: string[] = [];
      for (const folder of wanted) if (!(await isFolder(context, folder))) missing.push(`~/${folder}`);
      if (missing.length > 0) return failed(`missing: ${missing.join(', ')}`);
      // Empty, as asked: and a file tool, which writes only files, cannot make an empty folder.
      const inside = await context.run(
        'find',
        wanted.map((folder) => `${context.home}/${folder}`).concat('-mindepth', '1'),
      );
      return inside.stdout.trim() === ''
        ? passed('~/atlas holds the empty folders src, tests and docs')
        : failed(`the folders are not empty: ${shown(inside.stdout.replaceAll(`${context.home}/`, '~/'))}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'mkdir -p ~/atlas/src ~/atlas/tests ~/atlas/docs\n' },
      pause(),
    ],
    nearMisses: () => [
      { name: 'docs missing', apply: (context) => inTerminal(context, 'mkdir -p atlas/src atlas/tests') },
      {
        name: '"test" for "tests"',
        apply: (context) => inTerminal(context, 'mkdir -p atlas/src atlas/test atlas/docs'),
      },
      {
        name: 'the folders made by writing a file in each',
        apply: async (context) => {
          for (const folder of ['src', 'tests', 'docs']) await context.writeFile(`atlas/${folder}/.keep`, '');
        },
      },
    ],
    shortcut: () =>
      ['src', 'tests', 'docs'].map((folder) => ({ path: `atlas/${folder}/.keep`, content: '' })),
  },
  {
    id: 'terminal-count-errors',
    description:
      'How many lines of ~/logs/server.log are ERROR entries? Write just that number into a new file ~/error-count.txt.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      await context.writeFile('logs/server.log', `${serverLog.join('\n')}\n`);
      await recordTerminal(context);
    },
    async check(context) {
      const content = await context.readFile('error-count.txt');
      if (content === undefined) return failed('~/error-count.txt does not exist');
      if (content.trim() !== String(errorCount))
        return failed(`~/error-count.txt holds ${shown(content)}, not ${errorCount}`);
      return all(
        passed(`~/error-count.txt holds ${errorCount}`),
        await terminalNamed(context, ['error-count.txt']),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: "grep -c ' ERROR ' ~/logs/server.log > ~/error-count.txt\n" },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'every line mentioning "error" in any case counted',
        apply: (context) => inTerminal(context, 'grep -ci error logs/server.log > error-count.txt'),
      },
      {
        name: 'all lines counted',
        apply: (context) => inTerminal(context, 'wc -l < logs/server.log > error-count.txt'),
      },
    ],
    shortcut: () => [{ path: 'error-count.txt', content: `${errorCount}\n` }],
  },
  {
    id: 'terminal-sort-unique',
    description:
      'The file ~/fruits.txt lists fruit names, some more than once. Write them to ~/fruits-sorted.txt in alphabetical order, each name only once, one per line.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      await context.writeFile('fruits.txt', `${fruits.join('\n')}\n`);
      await recordTerminal(context);
    },
    async check(context) {
      const sorted = await checkFileLines(context, 'fruits-sorted.txt', [...new Set(fruits)].sort());
      return sorted.passed ? all(sorted, await terminalNamed(context, ['fruits-sorted'])) : sorted;
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'sort -u ~/fruits.txt > ~/fruits-sorted.txt\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'duplicates kept',
        apply: (context) => inTerminal(context, 'sort fruits.txt > fruits-sorted.txt'),
      },
      {
        name: 'in reverse order',
        apply: (context) => inTerminal(context, 'sort -u -r fruits.txt > fruits-sorted.txt'),
      },
    ],
    shortcut: () => [{ path: 'fruits-sorted.txt', content: `${[...new Set(fruits)].sort().join('\n')}\n` }],
  },
  {
    id: 'terminal-archive-photos',
    description:
      'Back up the folder ~/photos, with everything in it, into a gzip-compressed tar archive ~/photos-backup.tar.gz.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      for (const [path, content] of Object.entries(photos)) await context.writeFile(path, content);
      await recordTerminal(context);
    },
    async check(context) {
      const archive = `${context.home}/photos-backup.tar.gz`;
      if (!(await context.exists('photos-backup.tar.gz')))
        return failed('~/photos-backup.tar.gz does not exist');
      const listing = await context.run('tar', ['-tzf', archive]);
      if (listing.exitCode !== 0)
        return failed(`~/photos-backup.tar.gz is not a gzipped tar archive: ${listing.stderr.trim()}`);
      const entries = listing.stdout.split('\n');
      const problems: string[] = [];
      for (const [path, content] of Object.entries(photos)) {
        // Whatever the archive's root (photos/, ./, an absolute path), each photo's path must end its entry.
        const entry = entries.find((candidate) => candidate === path || candidate.endsWith(`/${path}`));
        if (entry === undefined) {
          problems.push(`it lacks ${path}`);
          continue;
        }
        const inside = await context.run('tar', ['-xzOf', archive, entry]);
        if (inside.stdout !== content) problems.push(`its ${entry} holds ${shown(inside.stdout)}`);
      }
      if (problems.length > 0)
        return failed(`${problems.join('; ')} (the archive lists ${shown(listing.stdout)})`);
      return all(
        passed(`the archive holds all ${Object.keys(photos).length} photos, each as it is in ~/photos`),
        await terminalNamed(context, ['photos-backup']),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'tar -czf ~/photos-backup.tar.gz -C ~ photos\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the family folder left out',
        apply: (context) =>
          inTerminal(context, 'tar -czf photos-backup.tar.gz photos/beach.jpg photos/mountains.jpg'),
      },
      {
        name: 'the right names, empty files',
        apply: (context) =>
          inTerminal(
            context,
            'mkdir -p /tmp/empty-$$ && cd /tmp/empty-$$ && mkdir -p photos/family && touch photos/beach.jpg photos/mountains.jpg photos/family/dinner.jpg && tar -czf ~/photos-backup.tar.gz photos; cd ~; rm -rf /tmp/empty-$$',
          ),
      },
      {
        name: 'a tar archive not compressed',
        apply: (context) => inTerminal(context, 'tar -cf photos-backup.tar.gz photos'),
      },
    ],
  },
  {
    id: 'terminal-find-invoice-note',
    description:
      'One of the text files somewhere under ~/archive is about invoice INV-4471. Copy that file into the home folder, keeping its name, and leave the original where it is.',
    difficulty: 'hard',
    applications: ['terminal'],
    async setup(context) {
      for (const [path, content] of Object.entries(archiveFiles)) await context.writeFile(path, content);
      await recordTerminal(context);
    },
    async check(context) {
      const name = disputeFile.split('/').at(-1) ?? disputeFile;
      const copy = await context.readFile(name);
      if (copy === undefined) return failed(`~/${name} does not exist`);
      if (copy !== archiveFiles[disputeFile]) return failed(`~/${name} holds ${shown(copy)}`);
      const changed: string[] = [];
      for (const [path, content] of Object.entries(archiveFiles))
        if ((await context.readFile(path)) !== content) changed.push(`~/${path}`);
      if (changed.length > 0)
        return failed(`${changed.join(', ')} gone or changed: the note should have been copied, not moved`);
      // Exactly that note: none of the others copied anywhere outside ~/archive.
      const others = Object.keys(archiveFiles)
        .filter((path) => path !== disputeFile)
        .map((path) => path.split('/').at(-1) ?? path);
      const found = await context.run('find', [
        context.home,
        '-path',
        `${context.home}/archive`,
        '-prune',
        '-o',
        '-type',
        'f',
        '-print',
      ]);
      const extra = found.stdout
        .split('\n')
        .filter((path) => others.some((other) => path.endsWith(`/${other}`)))
        .map((path) => path.replace(`${context.home}/`, '~/'));
      if (extra.length > 0) return failed(`other notes were copied too: ${extra.join(', ')}`);
      return all(
        passed(`~/${name} is a copy of the note about INV-4471, and no other note was copied`),
        await terminalNamed(context, ['archive', 'INV-4471', name]),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'cp "$(grep -rlw INV-4471 ~/archive)" ~/\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'every note copied',
        apply: (context) => inTerminal(context, "find ~/archive -name '*.txt' -exec cp {} ~ \\;"),
      },
      {
        name: 'a second note about invoices copied too',
        apply: (context) =>
          inTerminal(context, 'cp archive/2024/q2/dispute-hartmann.txt archive/2024/q3/invoices-paid.txt ~'),
      },
      {
        name: 'the note moved, not copied',
        apply: (context) => inTerminal(context, `mv ~/${disputeFile} ~`),
      },
    ],
    shortcut: () => [
      { path: disputeFile.split('/').at(-1) ?? disputeFile, content: archiveFiles[disputeFile] ?? '' },
    ],
  },
];
