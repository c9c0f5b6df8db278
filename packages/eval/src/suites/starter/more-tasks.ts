import { createHash } from 'node:crypto';
import type { EvalTask, SolutionStep, TaskContext } from '../../eval-task.ts';
import {
  addToMousepadRecent,
  all,
  checkFileLines,
  copyToClipboard,
  failed,
  inMousepadRecent,
  inTerminal,
  passed,
  postRecord,
  records,
  recordTerminal,
  rememberInodes,
  sameInode,
  saveAsEditorWould,
  savedByEditor,
  shown,
  terminalNamed,
} from './checks.ts';
import { openFileManager, openInTextEditor, openPageInFirefox } from './open-applications.ts';
import { openApplication, pause, press } from './solution-steps.ts';

const click = (x: number, y: number): SolutionStep => ({
  action: 'click_mouse',
  coordinates: { x, y },
  button: 'left',
  clickCount: 1,
});

// ---- the library catalogue page (Firefox) ----

/** The catalogue's books; the task reserves the first, the second is the look-alike. */
const books = [
  { title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 },
  { title: 'The Left Hand of God', author: 'Paul Hoffman', year: 2010 },
  { title: 'A Wizard of Earthsea', author: 'Ursula K. Le Guin', year: 1968 },
  { title: 'The Dispossessed', author: 'Ursula K. Le Guin', year: 1974 },
  { title: 'Kindred', author: 'Octavia E. Butler', year: 1979 },
  { title: 'Darkness at Noon', author: 'Arthur Koestler', year: 1940 },
];
const wantedBook = 'The Left Hand of Darkness';

// Sorted by author as a catalogue would be, so the wanted book is not simply the first row.
const catalogueRows = [...books]
  .sort((a, b) => a.author.localeCompare(b.author) || a.year - b.year)
  .map(
    (book) =>
      `<tr><td>${book.title}</td><td>${book.author}</td><td>${book.year}</td><td><button type="button" data-title="${book.title}">Reserve</button></td></tr>`,
  )
  .join('\n');

const libraryPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>City library catalogue</title>
<style>
body { font-family: sans-serif; font-size: 16px; margin: 24px 40px; color: #222; }
h1 { font-size: 26px; }
table { border-collapse: collapse; margin: 12px 0 24px; }
td, th { border: 1px solid #999; padding: 6px 12px; text-align: left; }
button { font-size: 15px; padding: 3px 12px; }
.done { color: #176317; font-weight: bold; margin-top: 16px; }
</style></head>
<body>
<h1>City library catalogue</h1>
<p>Science fiction shelf. Reserved books are kept at the front desk for a week.</p>
<table>
<tr><th>Title</th><th>Author</th><th>Year</th><th></th></tr>
${catalogueRows}
</table>
<p id="done" class="done" role="status"></p>
<script>
for (const button of document.querySelectorAll('button[data-title]')) {
  button.addEventListener('click', async () => {
    const title = button.dataset.title;
    await fetch('record', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page: 'library', data: { reserved: title } }) });
    button.disabled = true;
    button.textContent = 'Reserved';
    document.getElementById('done').textContent = 'Reserved: ' + title + '. Collect it at the front desk.';
  });
}
</script>
</body>
</html>
`;

/** The pages of these tasks, merged into the starter suite's pages. */
export const morePages: Record<string, string> = { '/library.html': libraryPage };

// ---- data of the other tasks ----

const sales = [
  'date,product,amount',
  '2025-03-01,Desk lamp,24.90',
  '2025-03-01,Notebook,3.50',
  '2025-03-02,Office chair,149.00',
  '2025-03-04,Monitor arm,59.95',
  '2025-03-05,Notebook,3.50',
  '2025-03-07,Desk lamp,24.90',
  '2025-03-09,Headset,79.00',
];
const salesTotal = sales
  .slice(1)
  .map((line) => Number(line.split(',')[2]))
  .reduce((sum, amount) => sum + amount, 0);

const isoContent = `not really an installer image, but a file to check\n${'0123456789abcdef'.repeat(64)}\n`;
const isoPath = 'Downloads/debian-12.5.0-amd64-netinst.iso';
const isoSha256 = createHash('sha256').update(isoContent).digest('hex');

const minutes = [
  'Team meeting: minutes',
  '',
  'Date:',
  'Present:',
  '',
  'Decisions:',
  '- (none yet)',
  '',
  'Next steps:',
  '- (none yet)',
];
const minutesText = `${minutes.join('\n')}\n`;

const guests = [
  'Guest list for Saturday',
  'Maria Lopez',
  'Tom Barker',
  'Ahmed Khan',
  'Tom Baker',
  'Julia Weiss',
];
const guestsWanted = guests.filter((guest) => guest !== 'Tom Baker');

const backupScript =
  '#!/bin/sh\n# Copies the Documents folder to the backup disk.\nrsync -a ~/Documents/ /media/backup/Documents/\n';
const oldScript = '#!/bin/sh\n# The old way: do not use.\ncp -r ~/Documents /media/backup/\n';

/** Videos by size; wedding.mkv is the largest, birthday.mp4 a close second that sorts first by name. */
const videos: Record<string, number> = {
  'Videos/birthday.mp4': 5100,
  'Videos/clip.webm': 800,
  'Videos/holiday.mp4': 3000,
  'Videos/wedding.mkv': 5200,
  'Videos/zoo-trip.avi': 4700,
};
const largestVideo = 'wedding.mkv';

/** The bookmark lines of the file manager's side pane (GTK's bookmarks file): each location, without its label. */
async function bookmarkedLocations(context: TaskContext): Promise<string[]> {
  const list = (await context.readFile('.config/gtk-3.0/bookmarks')) ?? '';
  return list
    .split('\n')
    .map((line) => line.split(' ')[0]?.replace(/\/$/, '') ?? '')
    .filter((location) => location !== '');
}
const folderUri = (context: TaskContext, folder: string) =>
  `file://${encodeURI(`${context.home}/${folder}`)}`;

/** The permission bits of a home file in octal ('755'), or undefined when it does not exist. */
async function mode(context: TaskContext, path: string): Promise<number | undefined> {
  const result = await context.run('stat', ['-c', '%a', `${context.home}/${path}`]);
  return result.exitCode === 0 ? Number.parseInt(result.stdout.trim(), 8) : undefined;
}

const ownerMayRun = (bits: number | undefined) => bits !== undefined && (bits & 0o100) !== 0;

export const moreTasks: EvalTask[] = [
  {
    id: 'terminal-sum-sales',
    description:
      'The file ~/sales/march.csv lists the sales of March. Work out the total of its amount column and write just that number into a new file ~/march-total.txt.',
    difficulty: 'medium',
    applications: ['terminal'],
    async setup(context) {
      await context.writeFile('sales/march.csv', `${sales.join('\n')}\n`);
      await recordTerminal(context);
    },
    async check(context) {
      const content = await context.readFile('march-total.txt');
      if (content === undefined) return failed('~/march-total.txt does not exist');
      const text = content.trim().replace(/^(EUR|€|\$)\s*|\s*(EUR|€)$/gi, '');
      const value = /^\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
      if (!(Math.abs(value - salesTotal) < 0.005))
        return failed(`~/march-total.txt holds ${shown(content)}, not ${salesTotal.toFixed(2)}`);
      return all(
        passed(`~/march-total.txt holds ${salesTotal.toFixed(2)}`),
        await terminalNamed(context, ['march-total.txt']),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      {
        action: 'type_text',
        text: `awk -F, 'NR > 1 { sum += $3 } END { printf "%.2f\\n", sum }' ~/sales/march.csv > ~/march-total.txt\n`,
      },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the last sale left out (265.75)',
        apply: (context) =>
          inTerminal(
            context,
            "head -n 7 ~/sales/march.csv | awk -F, 'NR > 1 { s += $3 } END { print s }' > ~/march-total.txt",
          ),
      },
      {
        name: 'the number of sales instead of their total',
        apply: (context) => inTerminal(context, 'tail -n +2 ~/sales/march.csv | wc -l > ~/march-total.txt'),
      },
    ],
    shortcut: () => [{ path: 'march-total.txt', content: `${salesTotal.toFixed(2)}\n` }],
  },
  {
    id: 'clipboard-file-checksum',
    description: `Put the SHA-256 checksum of ~/${isoPath} on the clipboard: only the 64-character checksum, not the file name.`,
    difficulty: 'medium',
    applications: ['terminal', 'clipboard'],
    async setup(context) {
      await context.writeFile(isoPath, isoContent);
    },
    async check(context) {
      const clipboard = (await context.clipboard()).trim();
      if (clipboard === isoSha256) return passed("the clipboard holds the file's SHA-256 checksum");
      if (clipboard.startsWith(isoSha256))
        return failed(`the clipboard holds the checksum with more after it: ${shown(clipboard)}`);
      return failed(`the clipboard holds ${shown(clipboard)}, not the checksum`);
    },
    // xclip stays in the background to serve the clipboard after the command returns.
    solution: () => [
      ...openApplication('terminal'),
      {
        action: 'type_text',
        text: `sha256sum ~/${isoPath} | cut -d ' ' -f 1 | tr -d '\\n' | xclip -selection clipboard\n`,
      },
      pause(1000),
    ],
    nearMisses: (context) => [
      {
        name: "sha256sum's whole line (checksum and file name) copied",
        apply: (miss) => copyToClipboard(miss, `${isoSha256}  ${context.home}/${isoPath}`),
      },
      {
        name: 'the MD5 checksum instead',
        apply: (miss) => copyToClipboard(miss, createHash('md5').update(isoContent).digest('hex')),
      },
    ],
  },
  {
    id: 'editor-save-copy-as',
    description:
      'The minutes template is open in the text editor. Save it under the new name minutes-june.txt in the same folder (Documents), so the template itself stays as it is.',
    difficulty: 'easy',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('Documents/minutes-template.txt', minutesText);
      await openInTextEditor(context, 'Documents/minutes-template.txt');
    },
    async check(context) {
      const copy = await checkFileLines(context, 'Documents/minutes-june.txt', minutes);
      if (!copy.passed) return copy;
      if ((await context.readFile('Documents/minutes-template.txt')) !== minutesText)
        return failed('~/Documents/minutes-template.txt is gone or changed: it should stay as it was');
      // Mousepad adds a file it saves under a new name to the recent files; a copy made otherwise is not there.
      return (await inMousepadRecent(context, 'Documents/minutes-june.txt'))
        ? passed(
            'the text editor saved the template as ~/Documents/minutes-june.txt; the template is unchanged',
          )
        : failed(
            "~/Documents/minutes-june.txt is a copy of the template, but the text editor never saved it (it is not in Mousepad's recent files)",
          );
    },
    // Save As (ctrl+shift+s) opens with the old name in its name field, all but ".txt" selected: select it
    // all and type the whole path; the Return goes once the completions are in.
    solution: (context) => [
      press('ctrl', 'shift', 's'),
      pause(1000),
      press('ctrl', 'a'),
      { action: 'type_text', text: `${context.home}/Documents/minutes-june.txt` },
      pause(),
      press('Return'),
      pause(1000),
    ],
    nearMisses: () => [
      {
        name: 'copied in the terminal, not saved by the editor',
        apply: (context) =>
          inTerminal(context, 'cp ~/Documents/minutes-template.txt ~/Documents/minutes-june.txt'),
      },
      {
        name: 'saved as minutes-june.txt in the home folder instead of Documents',
        async apply(context) {
          await context.writeFile('minutes-june.txt', minutesText);
          await addToMousepadRecent(context, 'minutes-june.txt');
        },
      },
    ],
    shortcut: () => [{ path: 'Documents/minutes-june.txt', content: minutesText }],
  },
  {
    id: 'editor-remove-guest',
    description:
      "Tom Baker can't come after all: remove him from the guest list open in the text editor, and save it.",
    difficulty: 'easy',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('guests.txt', `${guests.join('\n')}\n`);
      await rememberInodes(context, ['guests.txt']);
      await openInTextEditor(context, 'guests.txt');
    },
    async check(context) {
      const content = await checkFileLines(context, 'guests.txt', guestsWanted);
      return content.passed ? all(content, await savedByEditor(context, 'guests.txt')) : content;
    },
    // Tom Baker is the fifth line: select it with its line break and delete it.
    solution: () => [
      press('ctrl', 'Home'),
      ...Array.from({ length: 4 }, () => press('Down')),
      press('Home'),
      press('shift', 'Down'),
      press('Delete'),
      press('ctrl', 's'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'Tom Barker removed instead',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'guests.txt',
            `${guests.filter((guest) => guest !== 'Tom Barker').join('\n')}\n`,
          ),
      },
      {
        name: "Tom Baker's name deleted but his empty line left",
        apply: (context) =>
          saveAsEditorWould(
            context,
            'guests.txt',
            `${guests.map((guest) => (guest === 'Tom Baker' ? '' : guest)).join('\n')}\n`,
          ),
      },
    ],
    shortcut: () => [{ path: 'guests.txt', content: `${guestsWanted.join('\n')}\n` }],
  },
  {
    id: 'files-make-script-executable',
    description:
      'Using the file manager, allow the script backup.sh in the Scripts folder to be run as a program. Leave the other script as it is.',
    difficulty: 'medium',
    applications: ['file_manager'],
    async setup(context) {
      await context.writeFile('Scripts/backup.sh', backupScript);
      await context.writeFile('Scripts/backup-old.sh', oldScript);
      await context.run('chmod', [
        '644',
        `${context.home}/Scripts/backup.sh`,
        `${context.home}/Scripts/backup-old.sh`,
      ]);
      await rememberInodes(context, ['Scripts/backup.sh']);
      await openFileManager(context, 'Scripts');
    },
    async check(context) {
      const bits = await mode(context, 'Scripts/backup.sh');
      if (bits === undefined) return failed('~/Scripts/backup.sh is gone');
      if (!ownerMayRun(bits))
        return failed(`~/Scripts/backup.sh may not be run (its mode is ${bits.toString(8)})`);
      if ((await context.readFile('Scripts/backup.sh')) !== backupScript)
        return failed('~/Scripts/backup.sh was changed: only its permissions were to change');
      const oldBits = await mode(context, 'Scripts/backup-old.sh');
      if (ownerMayRun(oldBits)) return failed('~/Scripts/backup-old.sh was made executable too');
      // Permissions change in place: the script's inode is the one setup made (not a rewritten file).
      const same = await sameInode(context, 'Scripts/backup.sh', 'Scripts/backup.sh');
      if (!same.passed)
        return failed('~/Scripts/backup.sh was rewritten as a new file: only its permissions were to change');
      return passed(
        `~/Scripts/backup.sh may be run (mode ${bits.toString(8)}), and is the file setup made (same inode)`,
      );
    },
    // Select backup.sh (Edit > Select by Pattern), open its Properties (alt+Return), Permissions tab, then
    // the "Allow this file to run as a program" box, and Close. The dialog opens over
    // Thunar's window, which setup opens at the top left.
    solution: () => [
      press('ctrl', 's'),
      pause(),
      { action: 'type_text', text: 'backup.sh' },
      press('Return'),
      pause(),
      press('alt', 'Return'),
      pause(1500),
      click(412, 105),
      pause(),
      click(193, 395),
      pause(),
      click(537, 550),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the old script made executable instead',
        apply: async (context) => {
          await context.run('chmod', ['755', `${context.home}/Scripts/backup-old.sh`]);
        },
      },
      {
        name: 'both scripts made executable',
        apply: async (context) => {
          await context.run('chmod', [
            '755',
            `${context.home}/Scripts/backup.sh`,
            `${context.home}/Scripts/backup-old.sh`,
          ]);
        },
      },
    ],
    shortcut: () => [{ path: 'Scripts/backup.sh', content: backupScript }],
  },
  {
    id: 'firefox-reserve-book',
    description: `In the library catalogue open in Firefox, reserve "${wantedBook}" (only that book).`,
    difficulty: 'easy',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/library.html', 'City library catalogue');
    },
    async check(context) {
      const reserved = records(context, 'library').map((record) => String(record.data.reserved));
      if (reserved.length === 0) return failed('no book was reserved');
      return reserved.length === 1 && reserved[0] === wantedBook
        ? passed(`"${wantedBook}" was reserved, and nothing else`)
        : failed(`the books reserved were ${reserved.map((title) => JSON.stringify(title)).join(', ')}`);
    },
    // The Reserve button of its row (the fifth; the rows go by author).
    solution: () => [click(562, 437), pause(1000)],
    nearMisses: () => [
      {
        name: 'the look-alike "The Left Hand of God" reserved',
        apply: (context) =>
          postRecord(context, '/library.html', 'library', { reserved: 'The Left Hand of God' }),
      },
      {
        name: 'the right book and the look-alike both reserved',
        async apply(context) {
          await postRecord(context, '/library.html', 'library', { reserved: 'The Left Hand of God' });
          await postRecord(context, '/library.html', 'library', { reserved: wantedBook });
        },
      },
    ],
  },
  {
    id: 'terminal-largest-video',
    description:
      'Which file in ~/Videos takes up the most space? Write just its file name (such as name.ext) into a new file ~/largest.txt.',
    difficulty: 'easy',
    applications: ['terminal'],
    async setup(context) {
      for (const [path, size] of Object.entries(videos)) await context.writeFile(path, Buffer.alloc(size, 7));
      await recordTerminal(context);
    },
    async check(context) {
      const content = await context.readFile('largest.txt');
      if (content === undefined) return failed('~/largest.txt does not exist');
      const named = content.trim();
      if (named !== largestVideo && !named.endsWith(`/${largestVideo}`))
        return failed(`~/largest.txt holds ${shown(content)}, not ${largestVideo}`);
      return all(
        passed(`~/largest.txt names ${largestVideo}`),
        await terminalNamed(context, ['largest.txt']),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: 'ls -S ~/Videos | head -n 1 > ~/largest.txt\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the runner-up birthday.mp4',
        apply: (context) => inTerminal(context, 'echo birthday.mp4 > ~/largest.txt'),
      },
      {
        name: 'the whole line of ls -l, not just the name',
        apply: (context) => inTerminal(context, 'ls -lS ~/Videos | sed -n 2p > ~/largest.txt'),
      },
    ],
    shortcut: () => [{ path: 'largest.txt', content: `${largestVideo}\n` }],
  },
  {
    id: 'files-bookmark-folder',
    description:
      "Add the folder Projects/website (in the home folder) to the bookmarks in the file manager's side pane, so it is one click away.",
    difficulty: 'easy',
    applications: ['file_manager'],
    async setup(context) {
      await context.writeFile('Projects/website/index.html', '<h1>Under construction</h1>\n');
      await context.writeFile('Projects/shop/README.txt', 'The shop, not the website.\n');
      await openFileManager(context, '');
    },
    // The bookmarks live in GTK's bookmarks file, which Thunar writes and watches: the file is the setting
    // (no shortcut: a file tool writing the same line would make the same bookmark).
    async check(context) {
      const locations = await bookmarkedLocations(context);
      const wanted = folderUri(context, 'Projects/website');
      const shownList = locations
        .map((location) => location.replace(`file://${context.home}`, '~'))
        .join(', ');
      return locations.includes(wanted)
        ? passed(`read from ~/.config/gtk-3.0/bookmarks: ~/Projects/website is bookmarked (${shownList})`)
        : failed(
            `read from ~/.config/gtk-3.0/bookmarks: ${shownList === '' ? 'no bookmarks' : `bookmarked: ${shownList}`}`,
          );
    },
    // Go to the folder through the location bar (ctrl+L), then Bookmarks > Add Bookmark (ctrl+D).
    solution: (context) => [
      press('ctrl', 'l'),
      pause(),
      { action: 'type_text', text: `${context.home}/Projects/website` },
      pause(),
      press('Return'),
      pause(),
      press('ctrl', 'd'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the parent folder Projects bookmarked instead',
        apply: (context) =>
          context.writeFile('.config/gtk-3.0/bookmarks', `${folderUri(context, 'Projects')}\n`),
      },
      {
        name: 'the neighbouring Projects/shop bookmarked',
        apply: (context) =>
          context.writeFile('.config/gtk-3.0/bookmarks', `${folderUri(context, 'Projects/shop')} shop\n`),
      },
    ],
  },
];
