import type { CheckResult, TaskContext } from '../eval-task.ts';
import { type Getter, observe, parseGetter } from './getters.ts';
import { type Metric, metrics } from './metrics.ts';
import type { RawEvaluator, RawGetterSpec } from './osworld-task.schema.ts';
import { parseSetupStep, runSetupStep, type SetupStep, type StepOrigin } from './setup-steps.ts';
import { OsworldTaskError } from './task-file-error.ts';

/** One function of the evaluator with its getters and options. */
export interface EvaluatorCheck {
  func: string;
  metric: Metric;
  result: Getter | undefined;
  expected: Getter | undefined;
  options: Record<string, unknown>;
}

/** A task's evaluator, checked: the steps before it, its functions, and how their scores combine. */
export interface Evaluation {
  postconfig: SetupStep[];
  checks: EvaluatorCheck[];
  conj: 'and' | 'or';
}

type Origin = Omit<StepOrigin, 'field'>;

/**
 * OSWorld's evaluator has one function with one result, expected and options, or lists of them side by
 * side (null where a function needs none). This checks that shape and every piece: the first unsupported
 * piece comes back as the reason the task is skipped; a malformed one throws an OsworldTaskError.
 */
export function parseEvaluator(raw: RawEvaluator, origin: Origin): Evaluation | { unsupported: string } {
  const functions = typeof raw.func === 'string' ? [raw.func] : raw.func;
  const several = Array.isArray(raw.func);
  const sideBySide = <Item>(name: string, value: Item | Array<Item | null> | null | undefined) => {
    if (value === undefined || value === null) return functions.map(() => undefined);
    if (!several) {
      if (Array.isArray(value))
        throw new OsworldTaskError(origin.file, `evaluator.${name}`, 'a list, but func is a single function');
      return [value];
    }
    if (!Array.isArray(value) || value.length !== functions.length)
      throw new OsworldTaskError(
        origin.file,
        `evaluator.${name}`,
        `expected a list of ${functions.length}, one for each function of func`,
      );
    return value.map((item) => item ?? undefined);
  };
  const results = sideBySide<RawGetterSpec>('result', raw.result);
  const expecteds = sideBySide<RawGetterSpec>('expected', raw.expected);
  const options = sideBySide<Record<string, unknown>>('options', raw.options);

  const postconfig: SetupStep[] = [];
  for (const [index, step] of (raw.postconfig ?? []).entries()) {
    const parsed = parseSetupStep(step, { ...origin, field: `evaluator.postconfig.${index}` });
    if ('unsupported' in parsed) return parsed;
    postconfig.push(parsed);
  }
  const getter = (spec: RawGetterSpec | undefined, field: string) =>
    spec === undefined ? undefined : parseGetter(spec, { ...origin, field });
  const checks: EvaluatorCheck[] = [];
  for (const [index, func] of functions.entries()) {
    const metric = metrics[func];
    if (!metric) return { unsupported: `unsupported metric "${func}"` };
    const at = (name: string) => `evaluator.${name}${several ? `.${index}` : ''}`;
    const result = getter(results[index], at('result'));
    const expected = getter(expecteds[index], at('expected'));
    if (result && 'unsupported' in result) return result;
    if (expected && 'unsupported' in expected) return expected;
    if (!result) throw new OsworldTaskError(origin.file, at('result'), `required by ${func}`);
    checks.push({ func, metric, result, expected, options: options[index] ?? {} });
  }
  return { postconfig, checks, conj: raw.conj ?? 'and' };
}

/**
 * Plays the postconfig, then each function on what its getters read, combined as OSWorld does: with "and"
 * the first zero ends it at zero, else the mean; with "or" the first full mark ends it at one, else the
 * best. The task passes with full marks only: a fuzzy 0.9 is reported, not counted as done.
 */
export async function evaluate(evaluation: Evaluation, context: TaskContext): Promise<CheckResult> {
  for (const [index, step] of evaluation.postconfig.entries()) {
    try {
      await runSetupStep(step, context);
    } catch (error) {
      return {
        passed: false,
        detail: `postconfig step ${index + 1} (${step.type}) failed: ${(error as Error).message}`,
      };
    }
  }
  const parts: string[] = [];
  const scores: number[] = [];
  for (const check of evaluation.checks) {
    let outcome: { score: number; detail: string };
    try {
      const result = check.result && (await observe(check.result, context));
      const expected = check.expected && (await observe(check.expected, context));
      outcome = check.metric(result, expected, check.options);
    } catch (error) {
      outcome = { score: 0, detail: (error as Error).message };
    }
    scores.push(outcome.score);
    parts.push(evaluation.checks.length > 1 ? `${check.func}: ${outcome.detail}` : outcome.detail);
    if (evaluation.conj === 'and' && outcome.score === 0) break;
    if (evaluation.conj === 'or' && outcome.score >= 1) break;
  }
  const score =
    evaluation.conj === 'and'
      ? scores.includes(0)
        ? 0
        : scores.reduce((sum, value) => sum + value, 0) / scores.length
      : Math.max(...scores);
  const detail = parts.join('; ');
  return {
    passed: score >= 1,
    detail: score >= 1 || score === 0 ? detail : `score ${score.toFixed(2)}: ${detail}`,
  };
}
