/**
 * The paths a manifest declares for a plugin's routes (`/ports`,
 * `/manual-triggers/{trigger}`), compiled to match the path of a request
 * below `/api/v1/plugins/<name>`.
 */
export interface RoutePath {
  /** As declared: `/manual-triggers/{trigger}`. */
  path: string;
  /** Parameter names in order. */
  params: string[];
  /** Characters outside parameters: a route with more of them is more specific and wins. */
  staticLength: number;
  match(requestPath: string): Record<string, string> | undefined;
}

export function compileRoutePath(path: string): RoutePath {
  const params: string[] = [];
  let staticLength = 0;
  let source = '';
  // `{name}` is a parameter: one path segment, or part of one (`/{file}.json`).
  for (const part of path.split(/(\{[^{}/]*\})/)) {
    const param = /^\{([^{}/]*)\}$/.exec(part);
    if (param !== null) {
      params.push(param[1]!);
      source += '([^/]+)';
    } else {
      staticLength += part.length;
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const pattern = new RegExp(`^${source}$`);
  return {
    path,
    params,
    staticLength,
    match(requestPath) {
      const m = pattern.exec(requestPath);
      if (m === null) return undefined;
      const values: Record<string, string> = {};
      for (let i = 0; i < params.length; i++) {
        const raw = m[i + 1]!;
        let value: string;
        try {
          value = decodeURIComponent(raw);
        } catch {
          return undefined;
        }
        values[params[i]!] = value;
      }
      return values;
    },
  };
}

/** The parameter names of a declared path, in order. */
export function routePathParams(path: string): string[] {
  return [...path.matchAll(/\{([^{}/]*)\}/g)].map((m) => m[1]!);
}
