import type { Observed } from './getters.ts';
import { similarity } from './text-similarity.ts';

/** A metric's score (OSWorld's: 0 to 1, 1 for full marks) and, in words, what it compared. */
export interface MetricOutcome {
  score: number;
  detail: string;
}

export type Metric = (
  result: Observed | undefined,
  expected: Observed | undefined,
  options: Record<string, unknown>,
) => MetricOutcome;

const shown = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text);

/** Names what a getter read, for a report line: the file, or the command whose output it is. */
function source(observed: Observed | undefined): string {
  if (!observed) return 'nothing';
  if (observed.kind === 'file') return observed.path;
  if (observed.kind === 'output') return `the output of ${shown(observed.command)}`;
  return 'a rule';
}

/** The text a result stands for: a file's content or a command's output (undefined: no such file). */
function textOf(observed: Observed | undefined): string | undefined {
  if (observed?.kind === 'file' || observed?.kind === 'output') return observed.text;
  return undefined;
}

function rulesOf(expected: Observed | undefined, metric: string): Record<string, unknown> {
  if (expected?.kind !== 'rules') throw new Error(`${metric} compares with an expected {"type": "rule"}`);
  return expected.rules;
}

const score = (passed: boolean, detail: string): MetricOutcome => ({ score: passed ? 1 : 0, detail });

/** Python's == on JSON values: same type and contents, objects whatever their key order. */
function sameJson(first: unknown, second: unknown): boolean {
  if (Array.isArray(first) || Array.isArray(second)) {
    return (
      Array.isArray(first) &&
      Array.isArray(second) &&
      first.length === second.length &&
      first.every((item, index) => sameJson(item, second[index]))
    );
  }
  if (first !== null && second !== null && typeof first === 'object' && typeof second === 'object') {
    const keys = Object.keys(first);
    return (
      keys.length === Object.keys(second).length &&
      keys.every(
        (key) =>
          Object.hasOwn(second, key) &&
          sameJson((first as Record<string, unknown>)[key], (second as Record<string, unknown>)[key]),
      )
    );
  }
  return first === second;
}

const strings = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

function missing(result: Observed | undefined): MetricOutcome | undefined {
  return textOf(result) === undefined ? score(false, `${source(result)} does not exist`) : undefined;
}

const exactMatch: Metric = (result, expected) => {
  const wanted = rulesOf(expected, 'exact_match').expected;
  const text = textOf(result);
  if (text === undefined) return score(false, `${source(result)} does not exist`);
  return score(
    typeof wanted === 'string' ? text === wanted : false,
    `${source(result)} is ${shown(text)}, expected ${JSON.stringify(wanted)}`,
  );
};

const checkIncludeExclude: Metric = (result, expected) => {
  const rules = rulesOf(expected, 'check_include_exclude');
  const text = textOf(result);
  if (text === undefined) return score(false, `${source(result)} does not exist`);
  const absent = strings(rules.include).filter((part) => !text.includes(part));
  const present = strings(rules.exclude).filter((part) => text.includes(part));
  const problems = [
    ...absent.map((part) => `lacks ${JSON.stringify(part)}`),
    ...present.map((part) => `holds ${JSON.stringify(part)}`),
  ];
  return problems.length === 0
    ? score(true, `${source(result)} holds what it must and nothing it must not`)
    : score(false, `${source(result)} ${problems.join(', ')} (${shown(text)})`);
};

const fuzzyMatch: Metric = (result, expected) => {
  const wanted = String(rulesOf(expected, 'fuzzy_match').expected ?? '');
  const text = textOf(result);
  if (text === undefined) return score(false, `${source(result)} does not exist`);
  const ratio = similarity(text, wanted);
  return {
    score: ratio,
    detail: `${source(result)} is ${shown(text)}, ${(ratio * 100).toFixed(0)}% alike ${shown(wanted)}`,
  };
};

const compareTextFile: Metric = (result, expected, options) => {
  const absent = missing(result);
  if (absent) return absent;
  if (expected?.kind !== 'file' || expected.text === undefined)
    return score(false, `the gold file ${source(expected)} does not exist`);
  const normal = (text: string) => {
    let out = text;
    if (options.ignore_blanks)
      out = out
        .replace(/[\t\n]/g, ' ')
        .trim()
        .replace(/\s+/g, ' ');
    if (options.ignore_case) out = out.toLowerCase();
    return out;
  };
  const text = textOf(result) as string;
  return score(
    normal(text) === normal(expected.text),
    `${source(result)} ${normal(text) === normal(expected.text) ? 'matches' : `differs from`} ${expected.path} (${shown(text)})`,
  );
};

const checkDirectJsonObject: Metric = (result, expected) => {
  const rules = rulesOf(expected, 'check_direct_json_object');
  const text = textOf(result);
  if (text === undefined) return score(false, `${source(result)} does not exist`);
  let found: unknown;
  try {
    found = JSON.parse(text.trim());
  } catch {
    return score(false, `${source(result)} is not JSON: ${shown(text)}`);
  }
  if (found === null || typeof found !== 'object' || Array.isArray(found))
    return score(false, `${source(result)} is not a JSON object: ${shown(text)}`);
  const object = found as Record<string, unknown>;
  const wanted = (rules.expected ?? {}) as Record<string, unknown>;
  const wrong = Object.entries(wanted).filter(([key, value]) => {
    if (!rules.expect_in_result) return !sameJson(value, object[key]);
    const actual = object[key];
    if (Array.isArray(value)) return !(Array.isArray(actual) && value.some((item) => actual.includes(item)));
    if (typeof value === 'string') return !(typeof actual === 'string' && actual.includes(value));
    return true;
  });
  return wrong.length === 0
    ? score(true, `${source(result)} has the expected ${Object.keys(wanted).join(', ')}`)
    : score(
        false,
        `${source(result)} has ${wrong.map(([key]) => `${key} = ${JSON.stringify(object[key])}`).join(', ')}, expected ${JSON.stringify(Object.fromEntries(wrong))}`,
      );
};

const checkList: Metric = (result, expected) => {
  const rules = rulesOf(expected, 'check_list');
  const absent = missing(result);
  if (absent) return absent;
  const lines = (textOf(result) as string).split('\n');
  const unmatched = strings(rules.expect).filter(
    (pattern) => !lines.some((line) => new RegExp(pattern).test(line)),
  );
  const matched = strings(rules.unexpect).filter((pattern) =>
    lines.some((line) => new RegExp(pattern).test(line)),
  );
  const problems = [
    ...unmatched.map((pattern) => `no line matches /${pattern}/`),
    ...matched.map((pattern) => `a line matches /${pattern}/`),
  ];
  return problems.length === 0
    ? score(true, `${source(result)}: every expected line is there and no unexpected one`)
    : score(false, `${source(result)}: ${problems.join(', ')}`);
};

const fileContains: Metric = (result, expected) => {
  const absent = missing(result);
  if (absent) return absent;
  const text = textOf(result) as string;
  const lacking = strings(rulesOf(expected, 'file_contains').expected).filter((part) => !text.includes(part));
  return lacking.length === 0
    ? score(true, `${source(result)} holds every expected text`)
    : score(false, `${source(result)} lacks ${lacking.map((part) => JSON.stringify(part)).join(', ')}`);
};

const checkFileExists: Metric = (result) =>
  score(
    result?.kind === 'file' && result.text !== undefined,
    `${source(result)} ${result?.kind === 'file' && result.text !== undefined ? 'exists' : 'does not exist'}`,
  );

/**
 * The metrics this runner can compute, by OSWorld's names, with OSWorld's meaning. check_file_exists takes
 * its file from the result getter (OSWorld's takes a folder and a name); check_file_not_exists is ours, as
 * OSWorld has no metric for a file that must be gone.
 */
export const metrics: Record<string, Metric> = {
  exact_match: exactMatch,
  check_include_exclude: checkIncludeExclude,
  fuzzy_match: fuzzyMatch,
  compare_text_file: compareTextFile,
  check_direct_json_object: checkDirectJsonObject,
  check_list: checkList,
  file_contains: fileContains,
  check_file_exists: checkFileExists,
  check_file_not_exists: (result, expected, options) => {
    const exists = checkFileExists(result, expected, options);
    return { score: 1 - exists.score, detail: exists.detail };
  },
};
