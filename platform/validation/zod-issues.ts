import type { core } from 'zod';
import type { ErrorDetail } from '../../sdk/errors.js';
import { jsonPointer } from './json-pointer.js';

/** A JSON pointer for a zod issue path, prefixed with where the input sits. */
export function issuePointer(path: readonly PropertyKey[], prefix = ''): string {
  return prefix + (path.length === 0 ? '/' : jsonPointer(path));
}

/**
 * One detail per problem. An issue about a whole object points at the object
 * itself (no trailing slash), and each unknown field gets its own pointer, so
 * a client can mark the exact field.
 */
export function zodDetails(issues: readonly core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: issuePointer([...issue.path, key], prefix), message: `unknown field "${key}"` });
      continue;
    }
    details.push({ path: issue.path.length === 0 ? prefix || '/' : issuePointer(issue.path, prefix), message: issue.message });
  }
  return details;
}

/** One line naming each bad field, for error messages. */
export function formatZodIssues(issues: readonly core.$ZodIssue[], prefix = ''): string {
  return zodDetails(issues, prefix)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
}
