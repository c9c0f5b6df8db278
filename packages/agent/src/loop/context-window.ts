import type { MessageRole, StoredContentBlock, TextBlock } from '@bytebot/protocol';

/** A message as stored: its screenshots may be files (loaded only for what is sent). */
export interface StoredMessage {
  role: MessageRole;
  content: StoredContentBlock[];
}

const omitted: TextBlock = { type: 'text', text: '[an earlier screenshot, omitted to save context]' };

/**
 * Leaves out blank text blocks, and messages left with nothing: an empty reply of an earlier run is
 * stored, but the providers refuse empty text (Anthropic answers 400).
 */
export function withoutBlanks<Message extends StoredMessage>(messages: Message[]): Message[] {
  return messages
    .map((message) => ({
      ...message,
      content: message.content.filter((block) => block.type !== 'text' || block.text.trim() !== ''),
    }))
    .filter((message) => message.content.length > 0);
}

/**
 * Joins neighbouring messages of one role (a person may write while the model works), with tool results
 * first in a user turn, as the API requires them right after the tool calls they answer.
 */
export function mergeTurns<Message extends StoredMessage>(messages: Message[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous && previous.role === message.role) {
      previous.content = [...previous.content, ...message.content];
    } else {
      merged.push({ ...message, content: [...message.content] });
    }
  }
  for (const message of merged) {
    if (message.role !== 'user') continue;
    const results = message.content.filter((block) => block.type === 'tool_result');
    message.content = [...results, ...message.content.filter((block) => block.type !== 'tool_result')];
  }
  return merged;
}

/**
 * Keeps only the newest screenshots: old ones cost the most tokens and say the least, as the screen
 * has changed since. The text around them stays, so the model still knows what it did.
 */
export function dropOldScreenshots(messages: StoredMessage[], keep: number): StoredMessage[] {
  let seen = 0;
  const result = [...messages].reverse().map((message) => {
    const content = [...message.content].reverse().map((block): StoredContentBlock => {
      if (block.type === 'image') {
        seen += 1;
        return seen > keep ? omitted : block;
      }
      if (block.type === 'tool_result') {
        const parts = [...block.content].reverse().map((part) => {
          if (part.type !== 'image') return part;
          seen += 1;
          return seen > keep ? omitted : part;
        });
        return { ...block, content: parts.reverse() };
      }
      return block;
    });
    return { role: message.role, content: content.reverse() };
  });
  return result.reverse();
}
