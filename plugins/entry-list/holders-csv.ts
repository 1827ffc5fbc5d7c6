import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type ErrorDetail, PortierError } from 'portier/sdk';
import { type Holder, type HolderInput, holderInputSchema, normaliseCard } from './holder.js';

/** The columns of an entry-list file, in order; validity spread over the last five. */
export const CSV_COLUMNS = ['firstName', 'lastName', 'card', 'pin', 'validity', 'remaining', 'from', 'to', 'schedule'] as const;

/** The holders as CSV with a header row, for a spreadsheet or another intercom. */
export function holdersToCsv(holders: readonly Holder[]): string {
  const rows = holders.map((h) => {
    const v = h.validity;
    return [
      h.firstName,
      h.lastName ?? '',
      h.card ?? '',
      h.pin ?? '',
      v.kind,
      v.kind === 'times' ? String(v.remaining) : '',
      v.kind === 'dates' ? (v.from ?? '') : '',
      v.kind === 'dates' ? (v.to ?? '') : '',
      v.kind === 'schedule' ? v.schedule : '',
    ];
  });
  return stringify([[...CSV_COLUMNS], ...rows]);
}

/**
 * Holders from CSV, every row checked: a problem anywhere refuses the whole
 * file with each problem as `/<line>/<column>`, so nothing is half imported.
 */
export function holdersFromCsv(text: string): HolderInput[] {
  let records: Record<string, string>[];
  // The header as read, even when no row follows: an import replaces the whole list, so a wrong
  // file without rows must be refused, not taken as "no holders".
  let header: string[] | undefined;
  try {
    records = parse(text, {
      columns: (names: string[]) => (header = names),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new PortierError('ENTRY_LIST_CSV_INVALID', `The file is not valid CSV: ${(error as Error).message}`);
  }
  if (header === undefined) {
    throw new PortierError('ENTRY_LIST_CSV_INVALID', `The file is empty (no header row); an import replaces the whole entry list, so its first line names the columns: ${CSV_COLUMNS.join(', ')}.`);
  }
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0 || !header.includes('firstName')) {
    throw new PortierError('ENTRY_LIST_CSV_INVALID', `The header must name these columns: ${CSV_COLUMNS.join(', ')}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}.`);
  }
  const details: ErrorDetail[] = [];
  const holders: HolderInput[] = [];
  // The store refuses these too, but without the line; here each one names the row to fix.
  const seen = { firstName: new Map<string, number>(), card: new Map<string, number>(), pin: new Map<string, number>() };
  const once = (column: keyof typeof seen, key: string | undefined, line: number, message: (first: number) => string): void => {
    if (key === undefined) return;
    const first = seen[column].get(key);
    if (first === undefined) seen[column].set(key, line);
    else details.push({ path: `/${line}/${column}`, message: message(first) });
  };
  records.forEach((row, index) => {
    // Line numbers as a spreadsheet shows them: the header is line 1.
    const line = index + 2;
    const value = (column: string): string | undefined => (row[column] === undefined || row[column] === '' ? undefined : row[column]);
    const kind = value('validity') ?? 'always';
    const remaining = value('remaining');
    const candidate = {
      firstName: row.firstName ?? '',
      ...(value('lastName') === undefined ? {} : { lastName: value('lastName') }),
      ...(value('card') === undefined ? {} : { card: value('card') }),
      ...(value('pin') === undefined ? {} : { pin: value('pin') }),
      validity:
        kind === 'times'
          ? { kind, remaining: remaining === undefined ? Number.NaN : Number(remaining) }
          : kind === 'dates'
            ? { kind, ...(value('from') === undefined ? {} : { from: value('from') }), ...(value('to') === undefined ? {} : { to: value('to') }) }
            : kind === 'schedule'
              ? { kind, schedule: value('schedule') ?? '' }
              : { kind },
    };
    const result = holderInputSchema.safeParse(candidate);
    if (result.success) {
      holders.push(result.data);
      once('pin', result.data.pin, line, (first) => `the same PIN as line ${first} (a PIN opens for one holder only)`);
      once('firstName', result.data.firstName.toLowerCase(), line, (first) => `the same first name as line ${first} (first names are unique)`);
      once('card', result.data.card === undefined ? undefined : normaliseCard(result.data.card), line, (first) => `the same card as line ${first}`);
    } else for (const issue of result.error.issues) details.push({ path: `/${line}/${csvColumn(issue.path)}`, message: issue.message });
  });
  if (details.length > 0) {
    throw new PortierError('ENTRY_LIST_CSV_INVALID', `${details.length === 1 ? 'A row' : 'Rows'} of the file cannot be imported; nothing was changed. ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  return holders;
}

/** The CSV column a schema path points at (validity fields have columns of their own). */
function csvColumn(path: readonly PropertyKey[]): string {
  if (path[0] === 'validity') return path[1] === undefined ? 'validity' : String(path[1] === 'kind' ? 'validity' : path[1]);
  return String(path[0] ?? 'firstName');
}
