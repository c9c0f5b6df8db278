import type { EvalTask } from '../../eval-task.ts';
import { checkFileLines, failed, isFolder, passed, shown } from './checks.ts';
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
    async setup() {},
    async check(context) {
      const content = await context.readFile('greeting.txt');
      if (content === undefined) return { passed: false, detail: '~/greeting.txt does not exist' };
      return content.trim() === 'hello from bytebot'
        ? { passed: true, detail: '~/greeting.txt holds the line' }
        : { passed: false, detail: `~/greeting.txt holds ${JSON.stringify(content.slice(0, 200))}` };
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: "echo 'hello from bytebot' > ~/greeting.txt\n" },
      pause(),
    ],
  },
  {
    id: 'terminal-project-folders',
    description:
      'Make a folder called atlas in the home folder, with three empty folders inside it named src, tests and docs.',
    difficulty: 'easy',
    applications: ['terminal'],
    async setup() {},
    async check(context) {
      const wanted = ['atlas/src', 'atlas/tests', 'atlas/docs'];
      const missing: string[] = [];
      for (const folder of wanted) if (!(await isFolder(context, folder))) missing.push(`~/${folder}`);
      return missing.length === 0
        ? passed('~/atlas holds src, tests and docs')
        : failed(`missing: ${missing.join(', ')}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'mkdir -p ~/atlas/src ~/atlas/tests ~/atlas/docs\n' },
      pause(),
    ],
  },
  {
    id: 'terminal-count-errors',
    description:
      'How many lines of ~/logs/server.log are ERROR entries? Write just that number into a new file ~/error-count.txt.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      await context.writeFile('logs/server.log', `${serverLog.join('\n')}\n`);
    },
    async check(context) {
      const content = await context.readFile('error-count.txt');
      if (content === undefined) return failed('~/error-count.txt does not exist');
      return content.trim() === String(errorCount)
        ? passed(`~/error-count.txt holds ${errorCount}`)
        : failed(`~/error-count.txt holds ${shown(content)}, not ${errorCount}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: "grep -c ' ERROR ' ~/logs/server.log > ~/error-count.txt\n" },
      pause(),
    ],
  },
  {
    id: 'terminal-sort-unique',
    description:
      'The file ~/fruits.txt lists fruit names, some more than once. Write them to ~/fruits-sorted.txt in alphabetical order, each name only once, one per line.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      await context.writeFile('fruits.txt', `${fruits.join('\n')}\n`);
    },
    check: (context) => checkFileLines(context, 'fruits-sorted.txt', [...new Set(fruits)].sort()),
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'sort -u ~/fruits.txt > ~/fruits-sorted.txt\n' },
      pause(),
    ],
  },
  {
    id: 'terminal-archive-photos',
    description:
      'Back up the folder ~/photos, with everything in it, into a gzip-compressed tar archive ~/photos-backup.tar.gz.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      for (const [path, content] of Object.entries(photos)) await context.writeFile(path, content);
    },
    async check(context) {
      if (!(await context.exists('photos-backup.tar.gz')))
        return failed('~/photos-backup.tar.gz does not exist');
      const listing = await context.run('tar', ['-tzf', `${context.home}/photos-backup.tar.gz`]);
      if (listing.exitCode !== 0)
        return failed(`~/photos-backup.tar.gz is not a gzipped tar archive: ${listing.stderr.trim()}`);
      const entries = listing.stdout.split('\n');
      // Whatever the archive's root (photos/, ./, an absolute path), each photo's path must end it.
      const missing = Object.keys(photos).filter((path) => !entries.some((entry) => entry.endsWith(path)));
      return missing.length === 0
        ? passed(`the archive holds all ${Object.keys(photos).length} photos`)
        : failed(`the archive lacks ${missing.join(', ')} (it holds ${shown(listing.stdout)})`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'tar -czf ~/photos-backup.tar.gz -C ~ photos\n' },
      pause(),
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
    },
    async check(context) {
      const name = disputeFile.split('/').at(-1) ?? disputeFile;
      const copy = await context.readFile(name);
      if (copy === undefined) return failed(`~/${name} does not exist`);
      if (copy !== archiveFiles[disputeFile]) return failed(`~/${name} holds ${shown(copy)}`);
      return (await context.readFile(disputeFile)) === archiveFiles[disputeFile]
        ? passed(`~/${name} is a copy of the note about INV-4471`)
        : failed(`~/${disputeFile} is gone or changed: it should have been copied, not moved`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'cp "$(grep -rlw INV-4471 ~/archive)" ~/\n' },
      pause(),
    ],
  },
];
