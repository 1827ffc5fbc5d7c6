/** One line of bench/results.json. */
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** The same thing done the bare way, measured in the same run. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** The budget, as text with its direction: "<= 150", ">= 300000"; "ratio >= 0.6" puts it on the ratio to the baseline. */
  budget?: string;
  note?: string;
}

/** Whether a result meets its budget; undefined when it has none. */
export function withinBudget(result: BenchResult): boolean | undefined {
  if (result.budget === undefined) return undefined;
  const m = /^(ratio\s+)?(<=|>=)\s*([\d.]+)$/.exec(result.budget);
  if (m === null) return undefined;
  const measured = m[1] === undefined ? result.value : result.ratio;
  if (measured === undefined) return undefined;
  const limit = Number(m[3]);
  return m[2] === '<=' ? measured <= limit : measured >= limit;
}
