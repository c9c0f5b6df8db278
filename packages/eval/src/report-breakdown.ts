import type { EvalEntry } from './eval-report.ts';

export interface ResultGroup {
  name: string;
  passed: number;
  total: number;
}

function group(entries: EvalEntry[], keysOf: (entry: EvalEntry) => string[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const entry of entries) {
    for (const name of keysOf(entry)) {
      const found = groups.get(name) ?? { name, passed: 0, total: 0 };
      found.total += 1;
      if (entry.passed) found.passed += 1;
      groups.set(name, found);
    }
  }
  return [...groups.values()];
}

const difficultyOrder = ['easy', 'medium', 'hard'];

/**
 * Passed and total per application and per difficulty. A task over several applications counts in each
 * of them, so the application rows can add up to more than the run's total.
 */
export function resultBreakdown(entries: EvalEntry[]): {
  applications: ResultGroup[];
  difficulties: ResultGroup[];
} {
  const rank = (name: string) => {
    const position = difficultyOrder.indexOf(name);
    return position === -1 ? difficultyOrder.length : position;
  };
  return {
    applications: group(entries, (entry) =>
      entry.applications.length > 0 ? entry.applications : ['(none)'],
    ).sort((first, second) => first.name.localeCompare(second.name)),
    difficulties: group(entries, (entry) => [entry.difficulty]).sort(
      (first, second) => rank(first.name) - rank(second.name) || first.name.localeCompare(second.name),
    ),
  };
}
