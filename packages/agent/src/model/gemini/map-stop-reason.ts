import type { StopReason } from '../model-provider.ts';

/**
 * Gemini's finishReason as our StopReason. Gemini has no reason of its own for "stopped to call
 * functions": a turn of function calls ends with STOP, so the calls decide it.
 */
export function mapStopReason(reason: string | null | undefined, hasFunctionCalls: boolean): StopReason {
  if (hasFunctionCalls && (reason === undefined || reason === null || reason === 'STOP')) return 'tool_use';
  switch (reason) {
    case 'STOP':
      return 'end_turn';
    case 'MAX_TOKENS':
      return 'max_tokens';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'refusal';
    default:
      // MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, MISSING_THOUGHT_SIGNATURE,
      // MALFORMED_RESPONSE, LANGUAGE, OTHER, FINISH_REASON_UNSPECIFIED and reasons added later.
      return hasFunctionCalls ? 'tool_use' : 'other';
  }
}
