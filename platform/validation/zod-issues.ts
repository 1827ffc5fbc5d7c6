import type { core } from 'zod';
import type { ErrorDetail } from '../../sdk/errors.js';

/** A JSON pointer for a zod issue path, prefixed with where the input sits. */
export function issuePointer(path: readonly PropertyKey[], prefix = ''): string {
  return prefix + '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function zodDetails(issues: readonly core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  return issues.map((issue) => ({ path: issuePointer(issue.path, prefix), message: issue.message }));
}

/** One line naming each bad field, for error messages. */
export function formatZodIssues(issues: readonly core.$ZodIssue[], prefix = ''): string {
  return zodDetails(issues, prefix)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
}
