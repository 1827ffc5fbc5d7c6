/**
 * Every error Portier shows a user carries a stable `code` (for programs and
 * documentation) and a message that says what is wrong and what to do.
 */
export class PortierError extends Error {
  readonly code: string;
  readonly details: readonly ErrorDetail[];

  constructor(code: string, message: string, details: readonly ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PortierError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: string; message: string; details: readonly ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** One problem inside a larger input: where (a JSON pointer) and what. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export function isPortierError(error: unknown): error is PortierError {
  return error instanceof PortierError;
}

/** A readable one-line description of anything thrown by plugin code. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
