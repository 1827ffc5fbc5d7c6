/**
 * sipp's `-trace_stat` file: a header line of `;`-separated counter names,
 * then one snapshot per `-fd` period, the last one written when sipp ends.
 * Only the last snapshot matters to a test; the `(C)` counters are cumulative.
 */
export interface SippStatistics {
  successful: number;
  failed: number;
  /** Every counter of the last snapshot by its CSV name, e.g. `FailedUnexpectedMessage(C)`. */
  counters: Record<string, string>;
}

export function parseSippStatistics(csv: string): SippStatistics {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.length > 1 ? (lines[lines.length - 1]?.split(';') ?? []) : [];
  const counters: Record<string, string> = {};
  header.forEach((name, index) => {
    if (name) counters[name] = last[index] ?? '';
  });
  const count = (name: string): number => Number.parseInt(counters[name] ?? '0', 10) || 0;
  return { successful: count('SuccessfulCall(C)'), failed: count('FailedCall(C)'), counters };
}
