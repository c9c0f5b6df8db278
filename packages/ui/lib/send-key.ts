import type { KeyboardEvent } from 'react';

/**
 * Enter sends; Shift+Enter adds a line. Enter that confirms an input method's composition (Japanese,
 * Chinese ...) belongs to the input method, not to the form.
 */
export function isSendKey(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing;
}
