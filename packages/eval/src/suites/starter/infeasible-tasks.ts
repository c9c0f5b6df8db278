import type { EvalTask, SolutionStep, TaskContext } from '../../eval-task.ts';
import { all, failed, passed, postRecord, records, recordTerminal, saveAsEditorWould } from './checks.ts';
import { rememberHome, unchanged } from './home-snapshot.ts';
import { openFileManager, openInTextEditor, openPageInFirefox } from './open-applications.ts';
import { openApplication, pause } from './solution-steps.ts';

/*
 * Tasks that cannot be done as asked: the file, the setting, the field or the program they name is not
 * there. A good agent looks, changes nothing, and ends the task asking for help (or failed) with the reason;
 * each checker passes only when nothing was changed, and the runner also requires the refusal.
 */

/** A lived-in home folder: what the user's requests talk about sits among ordinary files. */
async function furnishHome(context: TaskContext): Promise<void> {
  const pdf = (title: string) =>
    `%PDF-1.4\n1 0 obj << /Title (${title}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  await context.writeFile('Documents/report-2020.pdf', pdf('Annual report 2020'));
  await context.writeFile('Documents/report-2021.pdf', pdf('Annual report 2021'));
  await context.writeFile('Documents/report-2022.pdf', pdf('Annual report 2022'));
  await context.writeFile('Documents/notes.txt', 'Dentist on Tuesday 14:00\nCall Anna about the trip\n');
  await context.writeFile(
    'Documents/costs.txt',
    'Rent 950\nElectricity 64\nInternet 35\nPhone 20\nInsurance 48\nGroceries 410\n',
  );
  await context.writeFile('Downloads/invoice-0412.pdf', pdf('Invoice 0412'));
  await context.writeFile('Pictures/README.txt', 'Photos from the phone go here.\n');
}

/** The settings the night light task could be mistaken for, and the screen's gamma, as text. */
async function displaySettings(context: TaskContext): Promise<string> {
  const channels = ['xsettings', 'xfwm4', 'displays', 'xfce4-desktop', 'xfce4-power-manager'];
  const parts: string[] = [];
  for (const channel of channels) {
    const result = await context.run('xfconf-query', ['-c', channel, '-lv']);
    parts.push(`[${channel}] ${result.exitCode === 0 ? result.stdout : 'none'}`);
  }
  const screen = await context.run('sh', ['-c', 'xrandr --verbose | grep -Ei "gamma|brightness"']);
  return `${parts.join('\n')}\n[xrandr] ${screen.stdout}`;
}

/** A look at the screen, then the terminal asked whether the program is there. */
const askTerminal = (command: string): SolutionStep[] => [
  ...openApplication('terminal'),
  { action: 'type_text', text: `${command}\n` },
  pause(),
];

const look: SolutionStep = { action: 'screenshot' };

const settingsIni = [
  '[database]',
  'host = db.internal',
  'port = 5432',
  '',
  '[server]',
  'host = 0.0.0.0',
  'port = 8080',
  'workers = 4',
];

export const infeasibleTasks: EvalTask[] = [
  {
    id: 'infeasible-rename-missing-report',
    description: 'Rename report-2019.pdf in my Documents folder to annual-report-2019.pdf.',
    difficulty: 'easy',
    applications: ['file_manager'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      await openFileManager(context, 'Documents');
      await rememberHome(context);
    },
    check: unchanged,
    solution: () => [look],
    nearMisses: () => [
      {
        name: 'the 2020 report renamed instead',
        apply: async (context) => {
          await context.run('mv', [
            `${context.home}/Documents/report-2020.pdf`,
            `${context.home}/Documents/annual-report-2019.pdf`,
          ]);
        },
      },
      {
        name: 'an empty annual-report-2019.pdf made',
        apply: (context) => context.writeFile('Documents/annual-report-2019.pdf', ''),
      },
    ],
  },
  {
    id: 'infeasible-calc-budget',
    description:
      'Open LibreOffice Calc and put the monthly costs from Documents/costs.txt into a new spreadsheet with a total at the bottom. Save it as budget.ods in Documents.',
    difficulty: 'medium',
    applications: ['terminal'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      await recordTerminal(context);
      await rememberHome(context);
    },
    check: unchanged,
    solution: () =>
      askTerminal('command -v localc libreoffice soffice || echo "LibreOffice is not installed"'),
    nearMisses: () => [
      {
        name: 'the costs written to a CSV file instead',
        apply: (context) =>
          context.writeFile(
            'Documents/budget.csv',
            'Rent,950\nElectricity,64\nInternet,35\nPhone,20\nInsurance,48\nGroceries,410\nTotal,1527\n',
          ),
      },
    ],
  },
  {
    id: 'infeasible-web-time-zone',
    description:
      'In the account preferences open in Firefox, change my time zone to Europe/Berlin and save the preferences.',
    difficulty: 'medium',
    applications: ['firefox'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      await openPageInFirefox(context, '/preferences.html', 'Account preferences');
      await rememberHome(context);
    },
    // The page has no time zone: saving it anyway would send preferences the user did not ask to change.
    async check(context) {
      const sent = records(context, 'preferences', (record) => record.data.submitted === true);
      if (sent.length > 0)
        return failed(`the preferences were saved anyway: ${JSON.stringify(sent.at(-1)?.data)}`);
      return all(passed('the preferences were not saved'), await unchanged(context));
    },
    solution: () => [look],
    nearMisses: () => [
      {
        name: 'the preferences saved without a time zone',
        apply: (context) =>
          postRecord(context, '/preferences.html', 'preferences', {
            submitted: true,
            language: 'en',
            digest: 'daily',
            darkMode: false,
          }),
      },
    ],
  },
  {
    id: 'infeasible-terminal-ffmpeg',
    description: 'Use ffmpeg in the terminal to convert ~/Videos/holiday.mov to an MP4 file next to it.',
    difficulty: 'medium',
    applications: ['terminal'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      // The first bytes of a QuickTime file: a real video is not needed to find that ffmpeg is missing.
      await context.writeFile(
        'Videos/holiday.mov',
        Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypqt  \0\0\0\0qt  '), Buffer.alloc(2048)]),
      );
      await recordTerminal(context);
      await rememberHome(context);
    },
    check: unchanged,
    solution: () => askTerminal('ffmpeg -version'),
    nearMisses: () => [
      {
        name: 'the video renamed to .mp4, not converted',
        apply: async (context) => {
          await context.run('mv', [
            `${context.home}/Videos/holiday.mov`,
            `${context.home}/Videos/holiday.mp4`,
          ]);
        },
      },
    ],
  },
  {
    id: 'infeasible-settings-night-light',
    description:
      'Turn on Night Light in the display settings so the screen switches to warmer colours in the evening.',
    difficulty: 'easy',
    applications: ['settings'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      await rememberHome(context, displaySettings);
    },
    check: unchanged,
    solution: () => [look],
    nearMisses: () => [
      {
        name: 'a dark theme chosen instead',
        apply: async (context) => {
          await context.run('sh', [
            '-c',
            'xfconf-query -c xsettings -p /Net/ThemeName -s Adwaita-dark || xfconf-query -c xsettings -p /Net/ThemeName -n -t string -s Adwaita-dark',
          ]);
        },
      },
    ],
  },
  {
    id: 'infeasible-editor-mail-port',
    description:
      "In the settings file open in the text editor, change the mail server's SMTP port to 587, then save.",
    difficulty: 'easy',
    applications: ['text_editor'],
    feasible: false,
    async setup(context) {
      await furnishHome(context);
      await context.writeFile('app.ini', `${settingsIni.join('\n')}\n`);
      await openInTextEditor(context, 'app.ini');
      await rememberHome(context);
    },
    check: unchanged,
    solution: () => [look],
    nearMisses: () => [
      {
        name: 'a [mail] section added',
        apply: (context) =>
          saveAsEditorWould(context, 'app.ini', `${settingsIni.join('\n')}\n\n[mail]\nsmtp_port = 587\n`),
      },
      {
        name: "the server's port changed to 587 instead",
        apply: (context) =>
          saveAsEditorWould(
            context,
            'app.ini',
            `${settingsIni.map((line) => (line === 'port = 8080' ? 'port = 587' : line)).join('\n')}\n`,
          ),
      },
    ],
  },
];
