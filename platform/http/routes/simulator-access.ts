import type { PortInfo, PortKind } from '../../../sdk/ports.js';
import type { SimulatedIntercom } from '../../hardware/simulated-intercom.js';
import type { Kernel } from '../../kernel.js';
import { apiError } from '../schemas/error-responses.js';

/** The simulator, or 409 when a real driver runs the board. */
export function simulatorOf(kernel: Kernel): SimulatedIntercom {
  const sim = kernel.simulator;
  if (sim === undefined) {
    throw apiError(409, 'SIMULATOR_NOT_ACTIVE', `The board is driven by "${kernel.driver.name}", not the simulator; there is nothing to simulate.`);
  }
  return sim;
}

/** A port of one of `kinds` by id, or 404 listing the ones there are. */
export function boardPort(kernel: Kernel, id: string, kinds: readonly PortKind[], what: string): PortInfo {
  const found = kernel.board.ports.find((p) => p.id === id && kinds.includes(p.kind));
  if (found === undefined) {
    const known = kernel.board.ports.filter((p) => kinds.includes(p.kind)).map((p) => p.id);
    throw apiError(404, 'PORT_NOT_FOUND', `This board has no ${what} "${id}" (${what}s: ${known.join(', ') || 'none'}).`);
  }
  return found;
}
