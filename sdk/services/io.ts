import { serviceToken } from '../tokens.js';

export interface NamedPort {
  id: string;
  name: string;
  kind: 'relay' | 'io';
  direction: 'input' | 'output';
  active: boolean;
}

/** Provided by the built-in `io` plugin. */
export interface IoService {
  /** The ports the io plugin manages, with the names the integrator gave them. */
  ports(): NamedPort[];
  /** Finds a port by id (`relay-1`) or by name (`Door`). */
  find(idOrName: string): NamedPort | undefined;
  /** Sets a manual trigger (a virtual input, 1 to 32) as the API or another system would. Throws IO_TRIGGER_INVALID for another number. */
  setManualTrigger(trigger: number, active: boolean): void;
  /** Drives an output port by hand. Throws PORT_NOT_OUTPUT on an input. */
  setOutput(idOrName: string, active: boolean): void;
}

export const IO_SERVICE = serviceToken<IoService>('portier.io');
