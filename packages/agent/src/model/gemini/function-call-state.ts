import { randomBytes } from 'node:crypto';
import type { ToolUseBlock } from '@bytebot/protocol';

/**
 * What a Gemini function call needs to keep between one request and the next, beyond our tool_use
 * block's id, name and input: whether Gemini or we chose the id, and the call's thought signature.
 */

let counter = 0;

/**
 * Gemini 2.x sends function calls without an id (it pairs responses with calls by name and order); the
 * loop needs one to pair each result with its call, so we make one up.
 */
export function makeCallId(): string {
  counter += 1;
  return `call_${counter}_${randomBytes(4).toString('hex')}`;
}

const madeUp = /^call_\d+_[0-9a-f]{8}$/;

/** The id to send back to Gemini with a call and its response: only one Gemini chose itself. */
export function geminiCallId(id: string): string | undefined {
  return madeUp.test(id) ? undefined : id;
}

/**
 * A tool_use block as this adapter stores it. Gemini 3 signs its function calls (an opaque
 * `thoughtSignature` that carries its reasoning to the next step) and rejects a history whose calls lost
 * their signatures with a 400, so the signature is kept beside the call, in the shape of the Vercel AI
 * SDK's provider metadata. The protocol's tool_use schema does not declare the field: the loop and the
 * database keep the block as it is (JSON), and no other adapter reads it.
 */
export type GeminiToolUseBlock = ToolUseBlock & {
  providerMetadata?: { google?: { thoughtSignature?: string } };
};

export function thoughtSignatureOf(block: ToolUseBlock): string | undefined {
  const signature = (block as GeminiToolUseBlock).providerMetadata?.google?.thoughtSignature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}
