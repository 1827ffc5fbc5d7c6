/**
 * How a bad manifest is reported. A developer reads these lines in a terminal
 * or in the web interface without the schema at hand, so every line names the
 * file, the field (as a JSON pointer) and says what was expected and what was
 * found.
 */
import { jsonPointer } from '../validation/json-pointer.js';
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { PortierError, type ErrorDetail } from '../../sdk/errors.js';

export const MANIFEST_NOT_FOUND = 'MANIFEST_NOT_FOUND';
export const MANIFEST_UNREADABLE = 'MANIFEST_UNREADABLE';
export const MANIFEST_INVALID = 'MANIFEST_INVALID';
export type ManifestErrorCode = typeof MANIFEST_NOT_FOUND | typeof MANIFEST_UNREADABLE | typeof MANIFEST_INVALID;

/** Long values would push the expectation off the screen. */
const FOUND_MAX_LENGTH = 60;

/** Paths inside the working folder are shown relative to it, as a user typed them. */
export function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  if (fromCwd === '') return '.';
  if (fromCwd.startsWith('..') || isAbsolute(fromCwd)) return path;
  return fromCwd;
}

/** `plugins/foo/manifest.json: /version: expected …, found …` */
export function formatDetail(file: string, detail: ErrorDetail): string {
  const where = detail.path === '' ? '' : `${detail.path}: `;
  return `${displayPath(file)}: ${where}${detail.message}`;
}

export function manifestError(code: ManifestErrorCode, file: string, details: readonly ErrorDetail[]): PortierError {
  return new PortierError(code, details.map((detail) => formatDetail(file, detail)).join('\n'), details);
}

/** A value as it appears in the file, JSON-encoded and cut to a readable length. */
export function describeFound(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length <= FOUND_MAX_LENGTH ? text : text.slice(0, FOUND_MAX_LENGTH - 1) + '…';
}

/**
 * Messages for zod's built-in checks, in the same "expected …" voice as the
 * schema's own messages. Passed per parse, so a message written in the schema
 * still wins.
 */
export const expectationMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${countOf(issue.origin, issue.minimum)}`;
    case 'too_big':
      return `expected ${issue.inclusive === false ? 'fewer than' : 'at most'} ${countOf(issue.origin, issue.maximum)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${describeFound(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => describeFound(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern ? `expected text matching ${issue.pattern}` : `expected ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return 'expected a valid value';
  }
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  null: 'null',
};

function countOf(origin: string, n: number | bigint): string {
  const count = Number(n);
  if (origin === 'string') return `${count} character${count === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${count} item${count === 1 ? '' : 's'}`;
  return String(count);
}

/**
 * Turns zod's issues into one detail per problem. `input` is the parsed JSON:
 * the found value is read from it by path, because zod reports a refinement's
 * input as the whole object it ran on, and a missing field must be told apart
 * from a field of the wrong type.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, schema: z.ZodType): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = fieldsAt(schema, issue.path).join(', ');
      for (const key of issue.keys) {
        details.push({ path: jsonPointer([...issue.path, key]), message: `unknown field ${describeFound(key)} (allowed: ${allowed})` });
      }
    } else if (issue.code === 'invalid_key') {
      // The path ends with the offending key; its value is not the problem.
      const key = issue.path[issue.path.length - 1];
      for (const inner of issue.issues) {
        details.push({ path: jsonPointer(issue.path), message: `${inner.message}, found the name ${describeFound(key)}` });
      }
    } else if (!isPresent(input, issue.path)) {
      details.push({ path: jsonPointer(issue.path), message: 'is required' });
    } else {
      details.push({ path: jsonPointer(issue.path), message: `${issue.message}, found ${describeFound(valueAt(input, issue.path))}` });
    }
  }
  return details;
}

function isPresent(input: unknown, path: readonly PropertyKey[]): boolean {
  let node = input;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return true;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const segment of path) node = (node as Record<PropertyKey, unknown>)[segment];
  return node;
}

/** The field names an object in the schema allows, for "unknown field" messages. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (node instanceof z.ZodObject) node = node.shape[String(segment)] as z.ZodType | undefined;
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
    node = node && unwrap(node);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodOptional || node instanceof z.ZodNullable) {
    node = node.unwrap() as z.ZodType;
  }
  return node;
}

/** Where JSON.parse gave up and why, in the terms of the "expected …, found …" messages. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * JSON.parse's messages differ between Node versions and not all of them say
 * where the problem is, so the text is scanned again to find the first error.
 * Returns undefined when the text is valid JSON.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new JsonScanner(text).document();
    return undefined;
  } catch (error) {
    // Nesting deep enough to exhaust the stack: leave the report to JSON.parse's message.
    if (error instanceof RangeError) return undefined;
    if (!(error instanceof JsonSyntaxError)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, message: `${error.expected}, found ${error.found}` };
  }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${expected}, found ${found}`);
  }
}

const VALUE_START = 'a value (object, array, string, number, true, false or null)';

class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.space();
    this.value(VALUE_START);
    this.space();
    if (this.i < this.text.length) this.fail('expected the end of the file after the top-level value');
  }

  private value(expected: string): void {
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(`expected ${expected}`);
  }

  private object(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.text[this.i] !== '"') this.fail('expected a property name in double quotes');
      this.string();
      this.space();
      if (this.text[this.i] !== ':') this.fail("expected ':' after the property name");
      this.i++;
      this.space();
      this.value(VALUE_START);
      this.space();
      const c = this.text[this.i];
      if (c === '}') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail("expected ',' or '}' after a property value");
      this.i++;
      this.space();
      if (this.text[this.i] === '}') this.fail("expected a property name after ',' (JSON allows no trailing comma)");
    }
  }

  private array(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value(VALUE_START);
      this.space();
      const c = this.text[this.i];
      if (c === ']') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail("expected ',' or ']' after an array element");
      this.i++;
      this.space();
      if (this.text[this.i] === ']') this.fail("expected a value after ',' (JSON allows no trailing comma)");
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c === '\n' || c === '\r') this.fail(`expected '"' to close the string`);
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') this.fail('expected an escaped control character (such as \\t) in the string');
      if (c === '\\') {
        const escape = this.text[this.i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
            this.fail('expected four hexadecimal digits after \\u');
          }
          this.i += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail('expected an escape such as \\n, \\" or \\\\');
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (match === null) this.fail('expected a number such as 12 or -0.5');
    this.i += match[0].length;
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  private fail(expected: string): never {
    throw new JsonSyntaxError(this.i, expected, this.foundHere());
  }

  /** The token at the error: enough to recognise it in an editor. */
  private foundHere(): string {
    const rest = this.text.slice(this.i);
    if (rest === '') return 'the end of the file';
    const c = rest[0]!;
    if (c === '\n' || c === '\r') return 'the end of the line';
    if (c === '/' && (rest[1] === '/' || rest[1] === '*')) return 'a comment (JSON allows none)';
    if (c === '\\') return `'${rest.slice(0, 2)}'`;
    if (c < ' ') return `the control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const token = /^(?:"[^"\n\r]*"?|[A-Za-z0-9_$.+-]+|.)/u.exec(rest)![0];
    return `'${token.length <= 30 ? token : token.slice(0, 29) + '…'}'`;
  }
}
