/** One line of bench/results.json. */
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** The same thing done the bare way, measured in the same run. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** The budget, as text with its direction: "<= 150", ">= 300000". */
  budget?: string;
  note?: string;
}

/** Whether a result meets its budget; undefined when it has none. */
export function withinBudget(result: BenchResult): boolean | undefined {
  if (result.budget === undefined) return undefined;
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(result.budget);
  if (m === null) return undefined;
  const limit = Number(m[2]);
  return m[1] === '<=' ? result.value <= limit : result.value >= limit;
}
