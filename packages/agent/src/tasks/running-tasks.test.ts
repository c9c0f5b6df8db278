import { describe, expect, it } from 'vitest';
import { actionSignalOf, RunningTasks } from './running-tasks.ts';

describe('RunningTasks: the signals a task and its desktop actions run under', () => {
  it('stops the action in flight on a takeover, and every action until the task is handed back', () => {
    const running = new RunningTasks();
    const taskSignal = running.start('task');
    const inFlight = actionSignalOf(taskSignal);
    running.interrupt('task');
    expect(inFlight.aborted).toBe(true);
    expect(inFlight.reason).toMatchObject({ message: 'a person took control of the desktop' });
    // An action that starts while the person has control stops at once; the task itself goes on.
    expect(actionSignalOf(taskSignal).aborted).toBe(true);
    expect(taskSignal.aborted).toBe(false);
    running.handBack('task');
    expect(actionSignalOf(taskSignal).aborted).toBe(false);
  });

  it('stops the action in flight when the task is cancelled', () => {
    const running = new RunningTasks();
    const taskSignal = running.start('task');
    const inFlight = actionSignalOf(taskSignal);
    running.abort('task');
    expect(inFlight.reason).toMatchObject({ message: 'the task was cancelled' });
  });

  it('answers a signal it does not know as it is', () => {
    const signal = new AbortController().signal;
    expect(actionSignalOf(signal)).toBe(signal);
  });

  it('waits for the loop to finish, and no longer than asked', async () => {
    const running = new RunningTasks();
    running.start('slow');
    running.start('quick');
    setTimeout(() => running.finish('quick'), 10);
    await running.stopped('quick', 60_000);
    expect(running.has('quick')).toBe(false);
    await running.stopped('slow', 10);
    expect(running.has('slow')).toBe(true);
  });
});
