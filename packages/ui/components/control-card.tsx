import type { TaskControl } from '@bytebot/protocol';

/** A moment the desktop changed hands, as the page saw it (task_updated) or the conversation records it. */
export interface ControlMoment {
  control: TaskControl;
  /** ISO time; undefined when only the conversation tells of it. */
  at: string | undefined;
}

const words: Record<TaskControl, { title: string; detail: string }> = {
  USER: {
    title: 'A person took over the desktop',
    detail: 'Bytebot stopped what it was doing and waits until the desktop is handed back.',
  },
  ASSISTANT: {
    title: 'The desktop was handed back to Bytebot',
    detail: 'Bytebot goes on from the screen as the person left it.',
  },
};

export function ControlCard({ moment }: { moment: ControlMoment }) {
  const { title, detail } = words[moment.control];
  return (
    <div className={`control-card control-${moment.control.toLowerCase()}`} data-control={moment.control}>
      <p className="control-title">
        <span aria-hidden="true">{moment.control === 'USER' ? '✋ ' : '↩ '}</span>
        {title}
        {moment.at && (
          <>
            {' · '}
            <time dateTime={moment.at}>{new Date(moment.at).toLocaleTimeString()}</time>
          </>
        )}
      </p>
      <p className="control-detail">{detail}</p>
    </div>
  );
}
