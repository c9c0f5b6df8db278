import type { EvalTask } from '../../eval-task.ts';
import { failed, field, lastRecord, lines, passed, shown } from './checks.ts';
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

export const multiAppTasks: EvalTask[] = [
  {
    id: 'multi-tracking-number-to-file',
    description:
      'Firefox shows the status of a shipment. Save its tracking number, and nothing else, in a new file ~/tracking.txt.',
    difficulty: 'medium',
    applications: ['firefox', 'terminal'],
    async setup(context) {
      await openPageInFirefox(context, '/shipment.html', 'Shipment status');
    },
    async check(context) {
      const content = await context.readFile('tracking.txt');
      if (content === undefined) return failed('~/tracking.txt does not exist');
      return content.trim() === trackingNumber
        ? passed('~/tracking.txt holds the tracking number')
        : failed(`~/tracking.txt holds ${shown(content)}`);
    },
    solution: () => [
      ...openApplication('terminal'),
      { action: 'type_text', text: `echo ${trackingNumber} > ~/tracking.txt\n` },
      pause(),
    ],
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
      const record = lastRecord(context, 'contact', (candidate) => candidate.data.submitted === true);
      if (!record) return failed('the contact form was never saved');
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
  },
  {
    id: 'multi-terminal-file-then-rename',
    description:
      'In a terminal, create the file ~/drafts/idea.txt containing the line "ship it on friday". Then rename it to plan.txt using the file manager.',
    difficulty: 'medium',
    applications: ['terminal', 'file_manager'],
    async setup() {},
    async check(context) {
      const plan = await context.readFile('drafts/plan.txt');
      if (plan === undefined) return failed('~/drafts/plan.txt does not exist');
      if (plan.trim() !== 'ship it on friday') return failed(`~/drafts/plan.txt holds ${shown(plan)}`);
      return (await context.exists('drafts/idea.txt'))
        ? failed('~/drafts/idea.txt is still there')
        : passed('~/drafts/plan.txt holds the line, and idea.txt is gone');
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
      const record = lastRecord(context, 'feedback', (candidate) => candidate.data.submitted === true);
      if (!record) return failed('no feedback was sent');
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
  },
  {
    id: 'multi-schedule-to-agenda',
    description:
      'Copy the three meetings from the schedule in Firefox into the agenda open in the text editor, one line per meeting with its time and title (e.g. "08:00 Standup"), and save the agenda.',
    difficulty: 'hard',
    applications: ['firefox', 'text_editor'],
    async setup(context) {
      await context.writeFile('agenda.txt', `${agendaHeader}\n`);
      await openInTextEditor(context, 'agenda.txt');
      await openPageInFirefox(context, '/schedule.html', 'Tuesday schedule');
    },
    async check(context) {
      const content = await context.readFile('agenda.txt');
      if (content === undefined) return failed('~/agenda.txt does not exist');
      const agenda = lines(content).map((line) => line.toLowerCase());
      const missing = meetings.filter(
        (meeting) =>
          !agenda.some((line) => line.includes(meeting.time) && line.includes(meeting.title.toLowerCase())),
      );
      if (agenda[0] !== agendaHeader.toLowerCase())
        return failed(`the agenda's first line is gone: ${shown(content)}`);
      return missing.length === 0
        ? passed('the agenda lists the three meetings with their times')
        : failed(
            `the agenda lacks ${missing.map((meeting) => `${meeting.time} ${meeting.title}`).join(', ')}: ${shown(content)}`,
          );
    },
    solution: () => [
      ...openApplication('text_editor'),
      press('ctrl', 'End'),
      { action: 'type_text', text: meetings.map((meeting) => `${meeting.time} ${meeting.title}\n`).join('') },
      press('ctrl', 's'),
      pause(),
    ],
  },
];
