import type OpenAI from 'openai';
import type { StopReason } from '../../model-provider.ts';

/**
 * A response's status as our stop reason. An `incomplete` response says why in `incomplete_details`:
 * `max_output_tokens` is a reply cut off at the limit, `content_filter` one withheld.
 */
export function mapStopReason(
  response: Pick<OpenAI.Responses.Response, 'status' | 'incomplete_details'>,
  hasToolCalls: boolean,
  refused: boolean,
): StopReason {
  if (refused) return 'refusal';
  if (response.status === 'incomplete') {
    switch (response.incomplete_details?.reason) {
      case 'max_output_tokens':
        return 'max_tokens';
      case 'content_filter':
        return 'refusal';
      default:
        return 'other';
    }
  }
  if (response.status === 'completed' || response.status === undefined) {
    return hasToolCalls ? 'tool_use' : 'end_turn';
  }
  return 'other';
}
