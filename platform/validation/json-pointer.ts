/** A JSON pointer (RFC 6901) for a path of keys: `['requires', 'io']` → `/requires/io`. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}
