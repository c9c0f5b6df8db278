import { describe, expect, it } from 'vitest';
import { desktopMoveOf, handOffNote, movedMessage, unansweredOnMovedDesktop } from './desktop-move.ts';

describe('a task that moves to another desktop', () => {
  it('is a move only when it ran on another desktop before, and says why it left it', () => {
    const ranOn = (desktopId: string | null, error: string | null = null) => ({ desktopId, error });
    expect(desktopMoveOf(ranOn(null), false, 'b')).toBeUndefined();
    expect(desktopMoveOf(ranOn('b'), true, 'b')).toBeUndefined();
    expect(desktopMoveOf(ranOn('a'), false, undefined)).toBeUndefined();
    // Its run on desktop a never ended: the agent there died.
    expect(desktopMoveOf(ranOn('a'), true, 'b')).toEqual({ from: 'a', to: 'b', why: 'stopped answering' });
    const lost = handOffNote('a', 'stopped answering (X server :5: connection lost)');
    expect(desktopMoveOf(ranOn('a', lost), false, 'b')?.why).toBe('stopped answering');
    const stopped = handOffNote('a', 'stopped (its agent is stopping)');
    expect(desktopMoveOf(ranOn('a', stopped), false, 'b')?.why).toBe('stopped');
    // It waited for a person on a, who answered; now b runs it.
    expect(desktopMoveOf(ranOn('a', 'Which folder?'), false, 'b')).toEqual({
      from: 'a',
      to: 'b',
      why: undefined,
    });
  });

  it('tells the model where it is now, that nothing of before is there, and to look first', () => {
    const move = { from: 'desktop-1', to: 'desktop-2', why: 'stopped answering' };
    const text = movedMessage(move, ['/home/bytebot/Desktop/notes.txt']);
    expect(text).toContain('moved from desktop desktop-1, which stopped answering, to desktop desktop-2');
    expect(text).toMatch(/different desktop.*not present/);
    expect(text).toContain('placed here again: /home/bytebot/Desktop/notes.txt');
    expect(text).toMatch(/Take a screenshot first/);
    expect(movedMessage({ ...move, why: undefined }, [])).toContain(
      'moved from desktop desktop-1 to desktop desktop-2.',
    );
    expect(unansweredOnMovedDesktop(move)).toMatch(/^Desktop desktop-1 stopped answering before this action/);
  });
});
