import satisfies from 'semver/functions/satisfies.js';
import { formatDetail } from '../manifest/manifest-errors.js';

export interface GraphNode {
  name: string;
  version: string;
  requires: Readonly<Record<string, string>>;
  /** The manifest file, named in messages. */
  file: string;
  /** Shipped with the platform: starts before apps that do not depend on it, so an app never takes a built-in's port first. */
  builtin?: boolean;
}

export interface GraphResult {
  /** Plugins that can start, dependencies first. */
  order: string[];
  /** Plugins that cannot start, with the reason an integrator sees. */
  problems: Map<string, { code: string; message: string }>;
}

/**
 * Start order from `requires`. A missing or mismatched dependency and a cycle
 * are reported naming both sides; a plugin whose dependency cannot start
 * cannot start either, and says which one.
 */
export function resolveStartOrder(nodes: readonly GraphNode[]): GraphResult {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const problems = new Map<string, { code: string; message: string }>();

  for (const node of nodes) {
    for (const [dependency, range] of Object.entries(node.requires)) {
      const target = byName.get(dependency);
      if (target === undefined) {
        problems.set(node.name, {
          code: 'DEPENDENCY_MISSING',
          message: formatDetail(node.file, { path: `/requires/${dependency}`, message: `requires plugin "${dependency}", which is not installed` }),
        });
        break;
      }
      if (!satisfies(target.version, range, { includePrerelease: false })) {
        problems.set(node.name, {
          code: 'DEPENDENCY_VERSION_MISMATCH',
          message: formatDetail(node.file, {
            path: `/requires/${dependency}`,
            message: `${JSON.stringify(range)} matches no installed version (${dependency} ${target.version})`,
          }),
        });
        break;
      }
    }
  }

  for (const cycle of findCycles(nodes, byName)) {
    const path = [...cycle, cycle[0]].join(' → ');
    for (const name of cycle) {
      if (!problems.has(name)) {
        problems.set(name, { code: 'DEPENDENCY_CYCLE', message: `Plugins require each other in a cycle: ${path}; remove one of these requirements.` });
      }
    }
  }

  const order: string[] = [];
  const visited = new Set<string>();
  const visit = (name: string): boolean => {
    if (problems.has(name)) return false;
    if (visited.has(name)) return true;
    visited.add(name);
    const node = byName.get(name)!;
    for (const dependency of Object.keys(node.requires).sort()) {
      if (!visit(dependency)) {
        const cause = problems.get(dependency)!;
        problems.set(name, {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: `Plugin "${name}" requires "${dependency}", which cannot start: ${cause.message}`,
        });
        return false;
      }
    }
    order.push(name);
    return true;
  };
  const builtinsFirst = (a: GraphNode, b: GraphNode): number => Number(b.builtin === true) - Number(a.builtin === true) || a.name.localeCompare(b.name);
  for (const node of [...nodes].sort(builtinsFirst)) visit(node.name);
  return { order, problems };
}

/** Every elementary cycle through a node is found once, as the path from its smallest name. */
function findCycles(nodes: readonly GraphNode[], byName: Map<string, GraphNode>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of Object.keys(byName.get(name)?.requires ?? {}).sort()) {
      if (!byName.has(dependency)) continue;
      const s = state.get(dependency);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(dependency));
        const key = [...cycle].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) {
        visit(dependency);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) if (!state.has(node.name)) visit(node.name);
  return cycles;
}
