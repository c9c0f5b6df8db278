import type { EvalSuite } from '../eval-task.ts';
import { starterSuite } from './starter/index.ts';

/** The suites `npm run eval -- --suite NAME` knows, by name. */
export const suites: Record<string, EvalSuite> = { starter: starterSuite };
