import type { EvalTask } from '../../eval-task.ts';
import {
  all,
  failed,
  field,
  inMousepadRecent,
  inTerminal,
  lines,
  onlySubmission,
  passed,
  postRecord,
  recordTerminal,
  rememberInodes,
  saveAsEditorWould,
  savedByEditor,
  shown,
  terminalCommands,
  terminalInodes,
  terminalNamed,
} from './checks.ts';
import { openInTextEditor, openPageInFirefox } from './open-applications.ts';
import { meetings, trackingNumber } from './pages.ts';
import { openApplication, pause, press } from './solution-steps.ts';

const contact = { name: 'Ada Lovelace', email: 'ada@analytical.example', phone: '+44 20 7946 0018' };
const digits = (text: string) => text.replace(/\D/g, '');

const feedbackNote = [
  'The new checkout is much faster, thank you!',
  'One problem: the discount field rejects codes written in lower case.',
];

const agendaHeader = 'Agenda for Tuesday:';
const agendaLines = [agendaHeader, ...meetings.map((meeting) => `${meeting.time} ${meeting.title}`)];

/** What the contact form posts when filled in right (near misses change one thing). */
const contactSent = { submitted: true, ...contact };

export const multiAppTasks: EvalTask[] = [
  {
    id: 'multi-tracking-number-to-file',
    description:
      'Firefox shows the status of a shipment. Save its tracking number, and nothing else, in a new file ~/tracking.txt.',
    difficulty: 'medium',
    applications: ['firefox', 'terminal'],
    async setup(context) {
      await recordTerminal(context);
      await openPageInFirefox(context, '/shipment.html', 'Shipment status');
    },
    async check(context) {
      const content = await context.readFile('tracking.txt');
      if (content === undefined) return failed('~/tracking.txt does not exist');
      if (content.trim() !== trackingNumber) return failed(`~/tracking.txt holds ${shown(content)}`);
      // Made in the terminal or saved from the text editor: either leaves a trace, a file tool neither.
      if (await inMousepadRecent(context, 'tracking.txt'))
        return passed('~/tracking.txt holds the tracking number, saved by the text editor');
      return all(
        passed('~/tracking.txt holds the tracking number'),
        await terminalNamed(context, ['tracking.txt']),
      );
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: `echo ${trackingNumber} > ~/tracking.txt\n` },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'the number with its label',
        apply: (context) => inTerminal(context, `echo 'Tracking number: ${trackingNumber}' > ~/tracking.txt`),
      },
      {
        name: 'the number with two digits swapped',
        apply: (context) =>
          inTerminal(context, `echo ${trackingNumber.replace('58213', '58231')} > ~/tracking.txt`),
      },
    ],
    shortcut: () => [{ path: 'tracking.txt', content: `${trackingNumber}\n` }],
  },
  {
    id: 'multi-contact-file-to-form',
    description:
      'Enter the person described in the contact file open in the text editor into the "New contact" form in Firefox, and save the contact.',
    difficulty: 'hard',
    applications: ['text_editor', 'firefox'],
    async setup(context) {
      await context.writeFile(
        'contact.txt',
        `Met at the conference on Monday.\n\nName: ${contact.name}\nE-mail: ${contact.email}\nPhone: ${contact.phone}\n`,
      );
      await openInTextEditor(context, 'contact.txt');
      await openPageInFirefox(context, '/contact-form.html', 'New contact');
    },
    async check(context) {
      // One contact was asked for: a second save, right or wrong, made another.
      const record = onlySubmission(context, 'contact', 'contact form');
      if ('passed' in record) return record;
      const [name, email, phone] = [field(record, 'name'), field(record, 'email'), field(record, 'phone')];
      const ok =
        name.replace(/\s+/g, ' ') === contact.name &&
        email.toLowerCase() === contact.email &&
        digits(phone) === digits(contact.phone);
      return ok
        ? passed("the form was saved with the contact file's name, e-mail and phone")
        : failed(`the form was saved with ${JSON.stringify({ name, email, phone })}`);
    },
    // Firefox opened last and has the focus, in the name field (autofocus).
    solution: () => [
      { action: 'type_text', text: contact.name },
      press('Tab'),
      { action: 'type_text', text: contact.email },
      press('Tab'),
      { action: 'type_text', text: `${contact.phone}\n` },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'saved twice, first without the phone',
        apply: async (context) => {
          await postRecord(context, '/contact-form.html', 'contact', { ...contactSent, phone: '' });
          await postRecord(context, '/contact-form.html', 'contact', contactSent);
        },
      },
      {
        name: 'the name as "Lovelace, Ada"',
        apply: (context) =>
          postRecord(context, '/contact-form.html', 'contact', { ...contactSent, name: 'Lovelace, Ada' }),
      },
    ],
  },
  {
    id: 'multi-terminal-file-then-rename',
    description:
      'In a terminal, create the file ~/drafts/idea.txt containing the line "ship it on friday". Then rename it to plan.txt using the file manager.',
    difficulty: 'medium',
    applications: ['terminal', 'file_manager'],
    // The shell logs idea.txt's inode after each command: plan.txt must be that file, renamed.
    setup: (context) => recordTerminal(context, ['drafts/idea.txt']),
    async check(context) {
      const plan = await context.readFile('drafts/plan.txt');
      if (plan === undefined) return failed('~/drafts/plan.txt does not exist');
      if (plan.trim() !== 'ship it on friday') return failed(`~/drafts/plan.txt holds ${shown(plan)}`);
      if (await context.exists('drafts/idea.txt')) return failed('~/drafts/idea.txt is still there');
      const created = await terminalNamed(context, ['idea.txt']);
      if (!created.passed) return failed(`idea.txt was never made in the terminal: ${created.detail}`);
      const planInode = (
        await context.run('stat', ['-c', '%i', `${context.home}/drafts/plan.txt`])
      ).stdout.trim();
      if (!(await terminalInodes(context)).includes(planInode))
        return failed(
          '~/drafts/plan.txt is not the idea.txt made in the terminal, renamed: it is another file',
        );
      const renamedInTerminal = (await terminalCommands(context)).find((command) =>
        /\bmv\b.*plan\.txt/.test(command),
      );
      return renamedInTerminal
        ? failed(
            `idea.txt was renamed in the terminal (${JSON.stringify(renamedInTerminal)}), not in the file manager`,
          )
        : passed('idea.txt, made in the terminal, was renamed to plan.txt');
    },
    solution: (context) => [
      ...openApplication('terminal'),
      { action: 'type_text', text: "mkdir -p ~/drafts && echo 'ship it on friday' > ~/drafts/idea.txt\n" },
      pause(),
      ...openApplication('file_manager'),
      press('ctrl', 'l'),
      { action: 'type_text', text: `${context.home}/drafts` },
      pause(),
      press('Return'),
      pause(),
      press('ctrl', 's'),
      pause(),
      { action: 'type_text', text: 'idea.txt' },
      press('Return'),
      pause(),
      press('F2'),
      pause(),
      press('ctrl', 'a'),
      { action: 'type_text', text: 'plan.txt\n' },
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'idea.txt made, then plan.txt made anew and idea.txt deleted (never renamed)',
        apply: async (context) => {
          await inTerminal(context, "mkdir -p drafts && echo 'ship it on friday' > drafts/idea.txt");
          await context.writeFile('drafts/plan.txt', 'ship it on friday\n');
          await context.run('rm', [`${context.home}/drafts/idea.txt`]);
        },
      },
      {
        name: 'made and renamed, with "thursday"',
        apply: async (context) => {
          await inTerminal(context, "mkdir -p drafts && echo 'ship it on thursday' > drafts/idea.txt");
          await context.run('mv', [`${context.home}/drafts/idea.txt`, `${context.home}/drafts/plan.txt`]);
        },
      },
    ],
    shortcut: () => [{ path: 'drafts/plan.txt', content: 'ship it on friday\n' }],
  },
  {
    id: 'multi-note-to-feedback-form',
    description:
      'Send the text of the note open in the text editor, word for word, through the feedback form in Firefox.',
    difficulty: 'hard',
    applications: ['text_editor', 'firefox', 'clipboard'],
    async setup(context) {
      await context.writeFile('feedback-note.txt', `${feedbackNote.join('\n')}\n`);
      await openInTextEditor(context, 'feedback-note.txt');
      await openPageInFirefox(context, '/feedback.html', 'Send us feedback');
    },
    async check(context) {
      // One message was asked for: a second one, right or wrong, was sent too.
      const record = onlySubmission(context, 'feedback', 'feedback form');
      if ('passed' in record) return record;
      const message = field(record, 'message');
      return lines(message)
        .map((line) => line.trim())
        .join('\n') === feedbackNote.join('\n')
        ? passed("the feedback sent is the note's text")
        : failed(`the feedback sent was ${shown(message)}`);
    },
    solution: () => [
      ...openApplication('text_editor'),
      press('ctrl', 'a'),
      press('ctrl', 'c'),
      ...openApplication('firefox'),
      press('ctrl', 'v'),
      press('Tab'),
      press('Return'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'sent twice, first only its first line',
        apply: async (context) => {
          await postRecord(context, '/feedback.html', 'feedback', {
            submitted: true,
            message: feedbackNote[0],
          });
          await postRecord(context, '/feedback.html', 'feedback', {
            submitted: true,
            message: feedbackNote.join('\n'),
          });
        },
      },
      {
        name: 'its second line only',
        apply: (context) =>
          postRecord(context, '/feedback.html', 'feedback', { submitted: true, message: feedbackNote[1] }),
      },
    ],
  },
  {
    id: 'multi-schedule-to-agenda',
    description:
      'Copy the three meetings from the schedule in Firefox into the agenda open in the text editor, one line per meeting with its time and title (e.g. "08:00 Standup"), and save the agenda.',
    difficulty: 'hard',
    applications: ['firefox', 'text_editor'],
    async setup(context) {
      await context.writeFile('agenda.txt', `${agendaHeader}\n`);
      await rememberInodes(context, ['agenda.txt']);
      await openInTextEditor(context, 'agenda.txt');
      await openPageInFirefox(context, '/schedule.html', 'Tuesday schedule');
    },
    async check(context) {
      const content = await context.readFile('agenda.txt');
      if (content === undefined) return failed('~/agenda.txt does not exist');
      const agenda = lines(content)
        .map((line) => line.trim().toLowerCase())
        .filter((line) => line !== '');
      if (agenda[0] !== agendaHeader.toLowerCase())
        return failed(`the agenda's first line is gone: ${shown(content)}`);
      // One line per meeting, in the schedule's order, and nothing else.
      const entries = agenda.slice(1);
      const wrong = meetings.findIndex((meeting, index) => {
        const line = entries[index] ?? '';
        return !line.includes(meeting.time) || !line.includes(meeting.title.toLowerCase());
      });
      if (wrong >= 0 || entries.length !== meetings.length)
        return failed(
          `the agenda does not list the three meetings one per line in order (${wrong >= 0 ? `line ${wrong + 2} should be ${meetings[wrong]?.time} ${meetings[wrong]?.title}` : `${entries.length} lines after the header`}): ${shown(content)}`,
        );
      return all(
        passed('the agenda lists the three meetings, one per line, in order'),
        await savedByEditor(context, 'agenda.txt'),
      );
    },
    solution: () => [
      ...openApplication('text_editor'),
      press('ctrl', 'End'),
      { action: 'type_text', text: meetings.map((meeting) => `${meeting.time} ${meeting.title}\n`).join('') },
      press('ctrl', 's'),
      pause(),
    ],
    nearMisses: () => [
      {
        name: 'all meetings on one line',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'agenda.txt',
            `${agendaHeader}\n${meetings.map((meeting) => `${meeting.time} ${meeting.title}`).join(', ')}\n`,
          ),
      },
      {
        name: 'the meetings out of order',
        apply: (context) =>
          saveAsEditorWould(
            context,
            'agenda.txt',
            `${agendaHeader}\n${[...meetings]
              .reverse()
              .map((meeting) => `${meeting.time} ${meeting.title}\n`)
              .join('')}`,
          ),
      },
      {
        name: 'the header line replaced',
        apply: (context) => saveAsEditorWould(context, 'agenda.txt', agendaLines.slice(1).join('\n')),
      },
    ],
    shortcut: () => [{ path: 'agenda.txt', content: `${agendaLines.join('\n')}\n` }],
  },
];
