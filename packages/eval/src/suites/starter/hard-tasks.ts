import type { CheckResult, EvalTask, SolutionStep, TaskContext } from '../../eval-task.ts';
import {
  all,
  checkFileLines,
  failed,
  isFolder,
  lines,
  onlySubmission,
  passed,
  postRecord,
  records,
  rememberInodes,
  sameInode,
  saveAsEditorWould,
  savedByEditor,
  shown,
} from './checks.ts';
import { boardStart, pricedItem, priceListItems, termsReference, thermostatWanted } from './hard-pages.ts';
import { openFileManager, openInTextEditor, openPageInFirefox } from './open-applications.ts';
import { openApplication, pause, press } from './solution-steps.ts';

/*
 * Hard tasks done mostly with the mouse: menus, dialogs' buttons, context menus, drags and scrolling.
 * Setup maximizes every window, so the solutions' pixel positions (measured on screenshots at 1280x960)
 * hold whatever size the application opened at.
 */

type Point = { x: number; y: number };

const click = (x: number, y: number, button: 'left' | 'right' = 'left'): SolutionStep => ({
  action: 'click_mouse',
  coordinates: { x, y },
  button,
});
const type = (text: string): SolutionStep => ({ action: 'type_text', text });

/**
 * A drag as a person makes it: press, move in steps, rest over the target, release. Thunar (GTK drag and
 * drop) starts a drag only after motion events past a threshold and drops on the target only once it has
 * seen the pointer there; one drag_mouse moves and releases too fast for it.
 */
const slowDrag = (from: Point, to: Point): SolutionStep[] => [
  // The button goes down and up where the pointer is: Claude's left_mouse_down and left_mouse_up.
  { action: 'move_mouse', coordinates: from },
  { action: 'press_mouse', button: 'left', press: 'down' },
  { action: 'move_mouse', coordinates: { x: from.x + 20, y: from.y + 20 } },
  { action: 'move_mouse', coordinates: { x: to.x + 10, y: to.y + 10 } },
  { action: 'move_mouse', coordinates: to },
  pause(400),
  { action: 'press_mouse', button: 'left', press: 'up' },
  pause(),
];

/** A rubber band over a file view: pressed on empty space, drawn through the points, released at the last. */
const rubberBand = (from: Point, ...through: Point[]): SolutionStep[] => [
  { action: 'move_mouse', coordinates: from },
  { action: 'press_mouse', button: 'left', press: 'down' },
  ...through.map((point): SolutionStep => ({ action: 'move_mouse', coordinates: point })),
  { action: 'press_mouse', button: 'left', press: 'up' },
];

/** Maximizes a window by a part of its title, and gives the window manager a moment to lay it out. */
async function maximize(context: TaskContext, title: string): Promise<void> {
  await context.run('wmctrl', ['-r', title, '-b', 'add,maximized_vert,maximized_horz']);
  await new Promise((resolvePromise) => setTimeout(resolvePromise, 700));
}

/** Mousepad, maximized: its menu bar and the items used here. */
const mousepad = {
  file: click(19, 63),
  fileSave: click(44, 215),
  edit: click(59, 63),
  editCut: click(80, 139),
  editPaste: click(85, 189),
  search: click(110, 63),
  searchFindAndReplace: click(170, 163),
  /** The middle of line `n` (from 1) of a document scrolled to its top. */
  lineY: (n: number) => 88 + (n - 1) * 18,
};

/**
 * Thunar, maximized, in icon view: the middle of the n-th icon (from 0) of the first row. Every item is as
 * wide as the longest name of the folder, so `first` and `spacing` are measured per folder.
 */
const thunarItem = (index: number, first: number, spacing: number): Point => ({
  x: Math.round(first + spacing * index),
  y: 160,
});
const thunar = {
  view: click(103, 63),
  viewAsIcons: click(140, 394),
  /**
   * A right click at `at`, then a moment for the menu to map: the screen may look settled before a loaded
   * machine draws it, and this blind player, unlike a model, clicks its item at once.
   */
  contextMenu: (at: Point) => [click(at.x, at.y, 'right'), pause(400)],
  /** An item of a context menu opened by a right click at `at`, `offset` pixels below it. */
  menuItem: (at: Point, offset: number) => click(at.x + 60, at.y + offset),
};
/** In Documents once Backup is made: Backup, budget.ods, contract.pdf, letter.txt. */
const backup: Point = { x: 220, y: 160 };
const contract: Point = { x: 409, y: 160 };
/** In Downloads: agenda.pdf, old-invoice.pdf, photo.png, setup.exe, song.mp3, tickets.pdf. */
const download = (index: number) => thunarItem(index, 230, 112.5);
/** In Pictures: Holidays, beach.jpg, hills.jpg, receipt.pdf, todo.txt. */
const picture = (index: number) => thunarItem(index, 216, 86);

// --- Mousepad: Find and Replace through the menus ---------------------------------------------------

const minutes = [
  'Minutes of the design meeting',
  '',
  'We agreed on the colour of the new logo: a dark blue.',
  'The colour of the buttons stays green for now.',
  'Maria will bring colourful samples of the packaging on Monday.',
  'Next meeting: same time, same room.',
];
const minutesFixed = minutes.map((line) => line.replaceAll('colour', 'color'));

// --- Mousepad: a long settings file -----------------------------------------------------------------

/** 223 lines of settings, far longer than the window; [cache] near the top and [database] near the end share the key names. */
function longSettings(): string[] {
  const result: string[] = ['# Settings of the order service', ''];
  result.push('[cache]', 'max_connections = 100', 'timeout = 30', '');
  for (let section = 1; section <= 30; section += 1) {
    result.push(`[worker_${section}]`, `queue = orders_${section}`, `threads = ${(section % 4) + 1}`);
    result.push(`retry_delay = ${section * 5}`, `log_level = info`, `enabled = true`, '');
  }
  result.push('[database]', 'host = db.internal', 'max_connections = 100', 'timeout = 30', '');
  result.push('[mail]', 'sender = orders@example.com');
  return result;
}
const settingsLines = longSettings();
const settingsWanted = (() => {
  const result = [...settingsLines];
  const database = result.indexOf('[database]');
  result[database + 2] = 'max_connections = 250';
  result[database + 3] = 'timeout = 45';
  return result;
})();

// --- Mousepad: moving a paragraph by dragging -------------------------------------------------------

const newsletter = [
  'Neighbourhood newsletter - June',
  '',
  'The street works on Elm Road end on the 14th; until then, please park on Mill Lane.',
  'The council thanks everyone for their patience with the noise in the mornings.',
  '',
  'The library now opens on Saturdays from 10 to 14.',
  'Volunteers for the reading club are welcome; ask at the desk.',
  '',
  'Our summer party is on Saturday the 28th in the park behind the school, from 15:00.',
  'Bring something to share; drinks and music are on the committee.',
  '',
  "Your residents' committee",
];
const newsletterWanted = [
  ...newsletter.slice(0, 2),
  ...newsletter.slice(8, 11),
  ...newsletter.slice(2, 8),
  ...newsletter.slice(11),
];

// --- Thunar: photos into a folder, then the folder renamed ------------------------------------------

const pictures: Record<string, string> = {
  'Pictures/beach.jpg': 'JPEG beach at sunset\n',
  'Pictures/hills.jpg': 'JPEG hills in the fog\n',
  'Pictures/receipt.pdf': '%PDF-1.4 receipt\n',
  'Pictures/todo.txt': 'print the photos\n',
};
const photos = ['beach.jpg', 'hills.jpg'];

async function checkPhotosMoved(context: TaskContext): Promise<CheckResult> {
  if (!(await isFolder(context, 'Pictures/Summer 2025')))
    return failed('there is no folder ~/Pictures/Summer 2025');
  if (await context.exists('Pictures/Holidays')) return failed('~/Pictures/Holidays is still there');
  const results: CheckResult[] = [];
  for (const photo of photos) {
    if (await context.exists(`Pictures/${photo}`)) return failed(`~/Pictures/${photo} is still there`);
    results.push(await sameInode(context, `Pictures/${photo}`, `Pictures/Summer 2025/${photo}`));
  }
  if ((await context.readFile('Pictures/Summer 2025/old-trip.jpg')) === undefined)
    return failed('the folder lost the photo it held');
  for (const other of ['receipt.pdf', 'todo.txt']) {
    if ((await context.readFile(`Pictures/${other}`)) !== pictures[`Pictures/${other}`])
      return failed(`~/Pictures/${other} moved or changed`);
  }
  return all(...results);
}

// --- Thunar: copies into a new folder ---------------------------------------------------------------

const documents: Record<string, string> = {
  'Documents/budget.ods': 'spreadsheet: budget 2025\n',
  'Documents/contract.pdf': '%PDF-1.4 rental contract\n',
  'Documents/letter.txt': 'Dear landlord,\n',
};

// --- Thunar: deleting the files a list names --------------------------------------------------------

const downloads: Record<string, string> = {
  'Downloads/agenda.pdf': '%PDF-1.4 agenda\n',
  'Downloads/old-invoice.pdf': '%PDF-1.4 old invoice\n',
  'Downloads/photo.png': 'PNG photo\n',
  'Downloads/setup.exe': 'MZ not for this computer\n',
  'Downloads/song.mp3': 'ID3 song\n',
  'Downloads/tickets.pdf': '%PDF-1.4 tickets\n',
};
const toDelete = ['Downloads/old-invoice.pdf', 'Downloads/setup.exe', 'Downloads/song.mp3'];

async function checkDeleted(context: TaskContext): Promise<CheckResult> {
  const problems: string[] = [];
  for (const [path, content] of Object.entries(downloads)) {
    const actual = await context.readFile(path);
    if (toDelete.includes(path) && actual !== undefined) problems.push(`~/${path} is still there`);
    if (!toDelete.includes(path) && actual !== content) problems.push(`~/${path} is gone or changed`);
  }
  return problems.length === 0
    ? passed('the three files on the list are gone, the other downloads are there')
    : failed(problems.join('; '));
}

// --- Firefox pages ---------------------------------------------------------------------------------

const heatingNote = [
  'Heating, from next week:',
  `- day temperature ${thermostatWanted.day} degrees`,
  `- night temperature ${thermostatWanted.night} degrees`,
  '- mode: Schedule (not Manual)',
];

/** Where a thermostat slider's thumb is for a temperature (the page at 1280x960, zoom 100%). */
const sliderX = (degrees: number) => Math.round(250 + (degrees - 20) * 20.2);

/** The board page's columns at 1280x960, zoom 100%: the first card of one, and empty space in one. */
const boardX = { todo: 179, doing: 480, done: 782 };
const boardCard = (column: keyof typeof boardX): Point => ({ x: boardX[column], y: 292 });
const boardColumn = (column: keyof typeof boardX): Point => ({ x: boardX[column], y: 560 });

/** The board as the standup note asks: every card's column after the moves. */
const boardWanted: Record<string, string[]> = {
  todo: ['Order new laptops'],
  doing: ['Write release notes', 'Update the privacy policy'],
  done: ['Hire a designer', 'Fix the login bug'],
};
const standupNote = [
  'Standup, Monday:',
  '- the login bug is fixed',
  '- Sam starts on the release notes today',
  '- Ana starts on the privacy policy today',
  '- the laptops wait until next month',
];

const sameSet = (actual: unknown, expected: string[]) =>
  Array.isArray(actual) &&
  actual.length === expected.length &&
  [...actual].map(String).sort().join('\n') === [...expected].sort().join('\n');

const quote = ['Quote for the new office', '', 'Desks: 4 x 219.00', `${pricedItem.name}:`, ''];
const quoteLine = new RegExp(
  `^${pricedItem.name}:\\s*(EUR\\s*)?${pricedItem.price.replace('.', '\\.')}(\\s*(EUR|€))?$`,
);

export const hardTasks: EvalTask[] = [
  {
    id: 'hard-editor-replace-via-menu',
    description:
      'The meeting minutes open in the text editor use the British spelling "colour". Using the editor\'s Find and Replace, change every "colour" to "color" (also inside longer words such as "colourful"), and save the file.',
    difficulty: 'hard',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('minutes.txt', `${minutes.join('\n')}\n`);
      await rememberInodes(context, ['minutes.txt']);
      await openInTextEditor(context, 'minutes.txt');
      await maximize(context, 'minutes.txt - Mousepad');
    },
    async check(context) {
      const content = await checkFileLines(context, 'minutes.txt', minutesFixed);
      return content.passed ? all(content, await savedByEditor(context, 'minutes.txt')) : content;
    },
    solution: () => [
      mousepad.search,
      mousepad.searchFindAndReplace,
      pause(),
      type('colour'),
      click(685, 459), // the "Replace with" field
      type('color'),
      click(448, 612), // "Replace all in": the Replace button becomes Replace All
      click(664, 653), // Replace All
      pause(),
      click(795, 653), // Close
      mousepad.file,
      mousepad.fileSave,
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'only the first "colour" replaced',
        apply: (context) =>
          saveAsEditorWould(context, 'minutes.txt', `${minutes.join('\n').replace('colour', 'color')}\n`),
      },
      {
        name: 'whole words only: "colourful" kept',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'minutes.txt',
            `${minutes.join('\n').replace(/\bcolour\b/g, 'color')}\n`,
          ),
      },
    ],
    shortcut: () => [{ path: 'minutes.txt', content: `${minutesFixed.join('\n')}\n` }],
  },
  {
    id: 'hard-editor-long-settings-scroll',
    description:
      'server.conf is open in the text editor. In its [database] section (far down the file), set max_connections to 250 and timeout to 45, and add the line "pool_size = 20" right after the timeout line. The [cache] section keeps its values. Save the file.',
    difficulty: 'hard',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('server.conf', `${settingsLines.join('\n')}\n`);
      await rememberInodes(context, ['server.conf']);
      await openInTextEditor(context, 'server.conf');
      await maximize(context, 'server.conf - Mousepad');
    },
    async check(context) {
      const expected = [...settingsWanted];
      expected.splice(expected.indexOf('timeout = 45') + 1, 0, 'pool_size = 20');
      const content = await checkFileLines(context, 'server.conf', expected);
      return content.passed ? all(content, await savedByEditor(context, 'server.conf')) : content;
    },
    solution: () => [
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 30 },
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 30 },
      pause(),
      { action: 'click_mouse', coordinates: { x: 179, y: 858 }, clickCount: 2 }, // "100" of max_connections
      type('250'),
      { action: 'click_mouse', coordinates: { x: 102, y: 876 }, clickCount: 2 }, // "30" of timeout
      type('45'),
      click(900, 876), // past the end of the timeout line: the caret goes to its end
      type('\npool_size = 20'),
      mousepad.file,
      mousepad.fileSave,
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the [cache] section changed instead',
        apply: (context) => {
          const wrong = [...settingsLines];
          wrong[wrong.indexOf('max_connections = 100')] = 'max_connections = 250';
          wrong.splice(wrong.indexOf('timeout = 30'), 1, 'timeout = 45', 'pool_size = 20');
          return saveAsEditorWould(context, 'server.conf', `${wrong.join('\n')}\n`);
        },
      },
      {
        name: 'the values changed but pool_size not added',
        apply: (context) => saveAsEditorWould(context, 'server.conf', `${settingsWanted.join('\n')}\n`),
      },
    ],
    shortcut: () => {
      const expected = [...settingsWanted];
      expected.splice(expected.indexOf('timeout = 45') + 1, 0, 'pool_size = 20');
      return [{ path: 'server.conf', content: `${expected.join('\n')}\n` }];
    },
  },
  {
    id: 'hard-editor-move-paragraph',
    description:
      'In the newsletter open in the text editor, move the paragraph about the summer party (with its empty line) so that it becomes the first paragraph, right after the title and its empty line. Change nothing else, and save.',
    difficulty: 'hard',
    applications: ['text_editor'],
    async setup(context) {
      await context.writeFile('newsletter.txt', `${newsletter.join('\n')}\n`);
      await rememberInodes(context, ['newsletter.txt']);
      await openInTextEditor(context, 'newsletter.txt');
      await maximize(context, 'newsletter.txt - Mousepad');
    },
    async check(context) {
      const content = await checkFileLines(context, 'newsletter.txt', newsletterWanted);
      return content.passed ? all(content, await savedByEditor(context, 'newsletter.txt')) : content;
    },
    solution: () => [
      press('ctrl', 'Home'),
      // From the start of line 9 to the start of line 12: the party's two lines and the empty one.
      {
        action: 'drag_mouse',
        path: [
          { x: 3, y: mousepad.lineY(9) },
          { x: 3, y: mousepad.lineY(12) },
        ],
      },
      mousepad.edit,
      mousepad.editCut,
      click(3, mousepad.lineY(3)),
      mousepad.edit,
      mousepad.editPaste,
      mousepad.file,
      mousepad.fileSave,
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the paragraph copied: it is there twice',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'newsletter.txt',
            `${[...newsletter.slice(0, 2), ...newsletter.slice(8, 11), ...newsletter.slice(2)].join('\n')}\n`,
          ),
      },
      {
        name: 'the paragraph moved without its empty line',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'newsletter.txt',
            `${[...newsletter.slice(0, 2), ...newsletter.slice(8, 10), ...newsletter.slice(2, 8), ...newsletter.slice(10)].join('\n')}\n`,
          ),
      },
    ],
    shortcut: () => [{ path: 'newsletter.txt', content: `${newsletterWanted.join('\n')}\n` }],
  },
  {
    id: 'hard-files-photos-into-renamed-folder',
    description:
      'In the file manager, move the two photos (beach.jpg and hills.jpg) in Pictures into the Holidays folder there, then rename the Holidays folder to "Summer 2025".',
    difficulty: 'hard',
    applications: ['file_manager'],
    async setup(context) {
      for (const [path, content] of Object.entries(pictures)) await context.writeFile(path, content);
      await context.writeFile('Pictures/Holidays/old-trip.jpg', 'JPEG an older trip\n');
      await rememberInodes(context, Object.keys(pictures));
      await openFileManager(context, 'Pictures');
      await maximize(context, 'Pictures - Thunar');
    },
    check: checkPhotosMoved,
    solution: () => [
      thunar.view,
      thunar.viewAsIcons,
      pause(),
      // A rubber band from the empty space below the photos up over both of them.
      ...rubberBand({ x: 405, y: 250 }, { x: 330, y: 200 }, { x: 260, y: 140 }),
      ...slowDrag(picture(2), picture(0)),
      ...thunar.contextMenu(picture(0)),
      thunar.menuItem(picture(0), 246), // Rename...
      pause(),
      press('ctrl', 'a'),
      type('Summer 2025\n'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the photos copied, not moved',
        apply: async (context) => {
          await context.run('cp', [
            ...photos.map((photo) => `${context.home}/Pictures/${photo}`),
            `${context.home}/Pictures/Holidays/`,
          ]);
          await context.run('mv', [
            `${context.home}/Pictures/Holidays`,
            `${context.home}/Pictures/Summer 2025`,
          ]);
        },
      },
      {
        name: 'the folder renamed, the photos left beside it',
        apply: async (context) => {
          await context.run('mv', [
            `${context.home}/Pictures/Holidays`,
            `${context.home}/Pictures/Summer 2025`,
          ]);
        },
      },
    ],
    shortcut: () => [
      ...photos.map((photo) => ({
        path: `Pictures/Summer 2025/${photo}`,
        content: pictures[`Pictures/${photo}`] ?? '',
      })),
      { path: 'Pictures/Summer 2025/old-trip.jpg', content: 'JPEG an older trip\n' },
    ],
  },
  {
    id: 'hard-files-backup-copies',
    description:
      'In the file manager, create a folder named "Backup" in Documents and put copies of budget.ods and contract.pdf in it. The originals stay where they are.',
    difficulty: 'hard',
    applications: ['file_manager'],
    async setup(context) {
      for (const [path, content] of Object.entries(documents)) await context.writeFile(path, content);
      await rememberInodes(context, Object.keys(documents));
      await openFileManager(context, 'Documents');
      await maximize(context, 'Documents - Thunar');
    },
    async check(context) {
      if (!(await isFolder(context, 'Documents/Backup')))
        return failed('there is no folder ~/Documents/Backup');
      const problems: string[] = [];
      for (const [path, content] of Object.entries(documents)) {
        if ((await context.readFile(path)) !== content) problems.push(`~/${path} is gone or changed`);
        const name = path.slice('Documents/'.length);
        const copy = `Documents/Backup/${name}`;
        const wanted = name !== 'letter.txt';
        const actual = await context.readFile(copy);
        if (wanted && actual !== content) problems.push(`~/${copy} is missing or differs`);
        if (!wanted && actual !== undefined) problems.push(`~/${copy} should not be there`);
      }
      return problems.length === 0
        ? passed('~/Documents/Backup holds copies of budget.ods and contract.pdf; the originals are there')
        : failed(problems.join('; '));
    },
    solution: () => [
      thunar.view,
      thunar.viewAsIcons,
      pause(),
      ...thunar.contextMenu({ x: 700, y: 600 }), // empty space of the folder view
      click(770, 617), // Create Folder...
      pause(),
      type('Backup\n'),
      pause(),
      // Backup sorts first (folders first), then budget.ods, contract.pdf, letter.txt.
      ...rubberBand({ x: 460, y: 250 }, { x: 330, y: 200 }, { x: 270, y: 140 }),
      ...thunar.contextMenu(contract),
      thunar.menuItem(contract, 94), // Copy (the menu of several files)
      { action: 'click_mouse', coordinates: backup, clickCount: 2 },
      pause(),
      ...thunar.contextMenu({ x: 700, y: 600 }),
      click(745, 667), // Paste
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the files moved into Backup, not copied',
        apply: async (context) => {
          await context.run('mkdir', [`${context.home}/Documents/Backup`]);
          await context.run('mv', [
            `${context.home}/Documents/budget.ods`,
            `${context.home}/Documents/contract.pdf`,
            `${context.home}/Documents/Backup/`,
          ]);
        },
      },
      {
        name: 'only contract.pdf copied',
        apply: async (context) => {
          await context.run('mkdir', [`${context.home}/Documents/Backup`]);
          await context.run('cp', [
            `${context.home}/Documents/contract.pdf`,
            `${context.home}/Documents/Backup/`,
          ]);
        },
      },
    ],
    // No shortcut: a copy Thunar makes and a file written directly with the same text look alike.
  },
  {
    id: 'hard-multi-delete-listed-downloads',
    description:
      'The note open in the text editor lists downloads that are no longer needed. Delete exactly those files from the Downloads folder, using the file manager.',
    difficulty: 'hard',
    applications: ['text_editor', 'file_manager'],
    async setup(context) {
      for (const [path, content] of Object.entries(downloads)) await context.writeFile(path, content);
      await context.writeFile(
        'cleanup.txt',
        `Downloads I do not need any more:\n${toDelete.map((path) => `- ${path.slice('Downloads/'.length)}`).join('\n')}\n`,
      );
      await openInTextEditor(context, 'cleanup.txt');
      await openFileManager(context, 'Downloads');
      await maximize(context, 'Downloads - Thunar');
    },
    check: checkDeleted,
    // Sorted by name: agenda.pdf, old-invoice.pdf, photo.png, setup.exe, song.mp3, tickets.pdf.
    solution: () => [
      ...openApplication('text_editor'),
      ...openApplication('file_manager'),
      thunar.view,
      thunar.viewAsIcons,
      pause(),
      // Half a second between the clicks: a Ctrl-click within GTK's double-click time (400 ms) of the last
      // one selected song.mp3 alone (2 runs in 3 here; 0 in 7 with the pauses). A model looking at each
      // screenshot is never that quick.
      click(download(1).x, download(1).y),
      pause(500),
      { action: 'click_mouse', coordinates: download(3), holdKeys: ['ctrl'] },
      pause(500),
      { action: 'click_mouse', coordinates: download(4), holdKeys: ['ctrl'] },
      ...thunar.contextMenu(download(4)),
      thunar.menuItem(download(4), 144), // Delete (the menu of several files)
      pause(1500), // the confirmation, a new window, takes longer than a menu
      click(760, 582), // the confirmation's Delete button
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'every PDF deleted too',
        apply: async (context) => {
          await context.run('sh', [
            '-c',
            `cd "${context.home}/Downloads" && rm old-invoice.pdf setup.exe song.mp3 agenda.pdf`,
          ]);
        },
      },
      {
        name: 'setup.exe left',
        apply: async (context) => {
          await context.run('sh', ['-c', `cd "${context.home}/Downloads" && rm old-invoice.pdf song.mp3`]);
        },
      },
    ],
  },
  {
    id: 'hard-firefox-accept-terms',
    description:
      'Firefox shows updated terms of service. Accept them with the form at the very bottom of the page: tick the box, enter the reference code that section 14 of the terms gives, and send it.',
    difficulty: 'hard',
    applications: ['firefox'],
    async setup(context) {
      await openPageInFirefox(context, '/hard-terms.html', 'Terms of service');
      await maximize(context, 'Mozilla Firefox');
    },
    async check(context) {
      const record = onlySubmission(context, 'terms', 'acceptance of the terms');
      if (!('page' in record)) return record;
      const code = String(record.data.code ?? '').trim();
      if (record.data.agree !== true) return failed('the form was sent without the box ticked');
      return code.toUpperCase() === termsReference
        ? passed('the terms were accepted with the right reference code')
        : failed(`the form was sent with the code ${JSON.stringify(code)}`);
    },
    solution: () => [
      press('ctrl', '0'),
      click(640, 500), // the page, for the wheel and the keyboard
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 40 },
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 40 },
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 40 },
      pause(),
      click(50, 816), // the checkbox
      click(135, 873), // the code field
      type(termsReference),
      click(111, 917), // Accept terms
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'sent without ticking the box',
        apply: (context) =>
          postRecord(context, '/hard-terms.html', 'terms', {
            submitted: true,
            agree: false,
            code: termsReference,
          }),
      },
      {
        name: 'sent with a made-up code',
        apply: (context) =>
          postRecord(context, '/hard-terms.html', 'terms', {
            submitted: true,
            agree: true,
            code: 'TOS-2024',
          }),
      },
    ],
  },
  {
    id: 'hard-multi-thermostat-from-note',
    description:
      'Set the thermostat page in Firefox as the note open in the text editor says (both temperatures and the mode), then save the schedule on the page.',
    difficulty: 'hard',
    applications: ['text_editor', 'firefox'],
    async setup(context) {
      await context.writeFile('heating.txt', `${heatingNote.join('\n')}\n`);
      await openInTextEditor(context, 'heating.txt');
      await openPageInFirefox(context, '/hard-thermostat.html', 'Thermostat');
      await maximize(context, 'Mozilla Firefox');
    },
    async check(context) {
      // Saving the same schedule again changes nothing, so several saves may pass, but every one must be right.
      const saves = records(context, 'thermostat', (candidate) => candidate.data.saved === true);
      if (saves.length === 0) return failed('the thermostat schedule was never saved');
      const wrong = saves.find(
        ({ data }) =>
          data.day !== thermostatWanted.day ||
          data.night !== thermostatWanted.night ||
          data.mode !== 'schedule',
      );
      return wrong
        ? failed(`a save had ${JSON.stringify(wrong.data)} (every save must be right)`)
        : passed(`saved with day ${thermostatWanted.day}, night ${thermostatWanted.night}, mode schedule`);
    },
    solution: () => [
      ...openApplication('text_editor'),
      ...openApplication('firefox'),
      press('ctrl', '0'),
      // The thumbs start at 20 degrees, in the middle (x 250); a degree is 20.2 pixels of track.
      {
        action: 'drag_mouse',
        path: [
          { x: 250, y: 258 },
          { x: sliderX(thermostatWanted.day), y: 258 },
        ],
      },
      {
        action: 'drag_mouse',
        path: [
          { x: 250, y: 341 },
          { x: sliderX(thermostatWanted.night), y: 341 },
        ],
      },
      click(300, 397), // the mode Schedule
      click(116, 440), // Save schedule
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the temperatures swapped',
        apply: (context) =>
          postRecord(context, '/hard-thermostat.html', 'thermostat', {
            saved: true,
            day: thermostatWanted.night,
            night: thermostatWanted.day,
            mode: 'schedule',
          }),
      },
      {
        name: 'the mode left on Manual',
        apply: (context) =>
          postRecord(context, '/hard-thermostat.html', 'thermostat', {
            saved: true,
            ...thermostatWanted,
            mode: 'manual',
          }),
      },
    ],
  },
  {
    id: 'hard-multi-board-from-standup',
    description:
      'Update the team board in Firefox to match the standup note open in the text editor (drag each card to its column: what is fixed is done, what someone starts today is doing, what waits stays to do), then save the board.',
    difficulty: 'hard',
    applications: ['text_editor', 'firefox'],
    async setup(context) {
      await context.writeFile('standup.txt', `${standupNote.join('\n')}\n`);
      await openInTextEditor(context, 'standup.txt');
      await openPageInFirefox(context, '/hard-board.html', 'Team board');
      await maximize(context, 'Mozilla Firefox');
    },
    async check(context) {
      // Saving the same board again changes nothing, so several saves may pass, but every one must be right.
      const saves = records(context, 'board', (candidate) => candidate.data.saved === true);
      if (saves.length === 0) return failed('the board was never saved');
      for (const save of saves) {
        const columns = (save.data.columns ?? {}) as Record<string, unknown>;
        const wrong = Object.entries(boardWanted).filter(
          ([column, cards]) => !sameSet(columns[column], cards),
        );
        if (wrong.length > 0)
          return failed(`the board was saved with ${JSON.stringify(columns)} (every save must be right)`);
      }
      return passed('the board was saved with every card in its column');
    },
    solution: () => [
      ...openApplication('text_editor'),
      ...openApplication('firefox'),
      pause(1000), // a loaded desktop can take a moment to raise Firefox
      press('ctrl', '0'),
      // Each column's first card is at y 292; the columns' empty space lies below y 450.
      { action: 'drag_mouse', path: [boardCard('doing'), boardColumn('done')] }, // the login bug
      pause(300),
      { action: 'drag_mouse', path: [boardCard('todo'), boardColumn('doing')] }, // the release notes
      pause(300),
      { action: 'drag_mouse', path: [boardCard('todo'), boardColumn('doing')] }, // the privacy policy
      pause(300),
      click(103, 692), // Save board
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the release notes left in To do',
        apply: (context) =>
          postRecord(context, '/hard-board.html', 'board', {
            saved: true,
            columns: {
              ...boardWanted,
              todo: ['Order new laptops', 'Write release notes'],
              doing: ['Update the privacy policy'],
            },
          }),
      },
      {
        name: 'the board as it started',
        apply: (context) =>
          postRecord(context, '/hard-board.html', 'board', { saved: true, columns: boardStart }),
      },
    ],
  },
  {
    id: 'hard-multi-price-into-quote',
    description: `The quote open in the text editor lacks the price of "${pricedItem.name}". Find it in the long price list open in Firefox, write it after "${pricedItem.name}:" on that line of the quote (e.g. "${pricedItem.name}: 12.50"), and save the quote.`,
    difficulty: 'hard',
    applications: ['firefox', 'text_editor'],
    async setup(context) {
      await context.writeFile('quote.txt', `${quote.join('\n')}`);
      await rememberInodes(context, ['quote.txt']);
      await openInTextEditor(context, 'quote.txt');
      await maximize(context, 'quote.txt - Mousepad');
      await openPageInFirefox(context, '/hard-prices.html', 'Office furniture price list');
      await maximize(context, 'Mozilla Firefox');
    },
    async check(context) {
      const content = await context.readFile('quote.txt');
      if (content === undefined) return failed('~/quote.txt does not exist');
      const actual = lines(content);
      const expectedOthers = quote.filter((line) => line !== `${pricedItem.name}:`);
      const priced = actual.filter((line) => quoteLine.test(line.trim()));
      const others = actual.filter((line) => !quoteLine.test(line.trim()));
      if (priced.length !== 1)
        return failed(`the quote has no line "${pricedItem.name}: ${pricedItem.price}": ${shown(content)}`);
      if (lines(others.join('\n')).join('\n') !== lines(expectedOthers.join('\n')).join('\n'))
        return failed(`the quote's other lines changed: ${shown(content)}`);
      return all(
        passed('the quote names the price from the list'),
        await savedByEditor(context, 'quote.txt'),
      );
    },
    solution: () => [
      ...openApplication('firefox'),
      press('ctrl', '0'),
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 40 },
      { action: 'scroll', coordinates: { x: 640, y: 500 }, direction: 'down', scrollCount: 20 },
      pause(),
      // At the bottom of the list the product's row is at y 445; three clicks select its price cell.
      { action: 'click_mouse', coordinates: { x: 309, y: 445 }, clickCount: 3 },
      press('ctrl', 'c'),
      ...openApplication('text_editor'),
      click(900, mousepad.lineY(4)), // past the end of the product's line
      type(' '),
      press('ctrl', 'v'),
      mousepad.file,
      mousepad.fileSave,
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the price of the product in the row above',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'quote.txt',
            quote
              .join('\n')
              .replace(`${pricedItem.name}:`, `${pricedItem.name}: ${priceListItems[101]?.price}`),
          ),
      },
    ],
    shortcut: () => [
      {
        path: 'quote.txt',
        content: quote.join('\n').replace(`${pricedItem.name}:`, `${pricedItem.name}: ${pricedItem.price}`),
      },
    ],
  },
];
