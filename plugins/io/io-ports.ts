import type { IoPort, NamedPort, PortsApi, RelayPort, StatefulEvent, Unsubscribe } from 'portier/sdk';
import { PortierError } from 'portier/sdk';
import { IO_PORT_IDS, type IoPortId, type IoSettings } from './io-settings.js';

interface Managed {
  id: IoPortId;
  name: string;
  handle: RelayPort | IoPort;
  unsubscribe: Unsubscribe;
}

export type PortEvent = StatefulEvent<{ port: string; name: string; active: boolean }>;

/**
 * The relays and I/Os this plugin holds, configured from its settings. Each
 * change of a port is announced as `io/input` or `io/output`.
 */
export class IoPortSet {
  private readonly managed = new Map<IoPortId, Managed>();

  constructor(
    private readonly ports: PortsApi,
    private readonly inputEvent: PortEvent,
    private readonly outputEvent: PortEvent,
  ) {}

  /** Claims, releases and configures ports so they match the settings. */
  apply(settings: IoSettings): void {
    for (const id of IO_PORT_IDS) {
      const wanted = settings.ports[id];
      const current = this.managed.get(id);
      if (!wanted.use) {
        if (current !== undefined) this.releasePort(current);
        continue;
      }
      const m = current ?? this.claim(id, wanted.name);
      m.name = wanted.name;
      if (m.handle.kind === 'relay') {
        m.handle.setNormalState((wanted as IoSettings['ports']['relay-1']).normalState);
      } else {
        const io = wanted as IoSettings['ports']['io-1'];
        m.handle.configure({ direction: io.direction, normalState: io.normalState });
      }
      this.announce(m);
    }
  }

  list(): NamedPort[] {
    return [...this.managed.values()].map((m) => this.describe(m));
  }

  find(idOrName: string): NamedPort | undefined {
    const m = this.lookup(idOrName);
    return m === undefined ? undefined : this.describe(m);
  }

  isActive(idOrName: string): boolean {
    return this.need(idOrName).handle.active;
  }

  /** Drives a relay or an output port. */
  set(idOrName: string, active: boolean): void {
    const m = this.need(idOrName);
    if (m.handle.kind === 'io' && m.handle.direction !== 'output') {
      throw new PortierError('PORT_NOT_OUTPUT', `Port "${m.name}" (${m.id}) is an input; configure it as an output in the I/O settings to drive it.`);
    }
    m.handle.set(active);
  }

  releaseAll(): void {
    for (const m of [...this.managed.values()]) this.releasePort(m);
  }

  private claim(id: IoPortId, name: string): Managed {
    const handle = id.startsWith('relay') ? this.ports.claim(id, 'relay', name) : this.ports.claim(id, 'io', name);
    const m: Managed = { id, name, handle, unsubscribe: () => undefined };
    m.unsubscribe = handle.onChange(() => this.announce(m));
    this.managed.set(id, m);
    return m;
  }

  private releasePort(m: Managed): void {
    m.unsubscribe();
    this.ports.release(m.id);
    this.managed.delete(m.id);
    this.inputEvent.clear({ port: m.id });
    this.outputEvent.clear({ port: m.id });
  }

  private announce(m: Managed): void {
    const payload = { port: m.id, name: m.name, active: m.handle.active };
    if (this.isOutput(m)) {
      this.inputEvent.clear({ port: m.id });
      this.outputEvent.set(payload);
    } else {
      this.outputEvent.clear({ port: m.id });
      this.inputEvent.set(payload);
    }
  }

  private isOutput(m: Managed): boolean {
    return m.handle.kind === 'relay' || m.handle.direction === 'output';
  }

  private describe(m: Managed): NamedPort {
    return { id: m.id, name: m.name, kind: m.handle.kind, direction: this.isOutput(m) ? 'output' : 'input', active: m.handle.active };
  }

  private lookup(idOrName: string): Managed | undefined {
    const byId = this.managed.get(idOrName as IoPortId);
    if (byId !== undefined) return byId;
    const wanted = idOrName.toLowerCase();
    for (const m of this.managed.values()) if (m.name.toLowerCase() === wanted) return m;
    return undefined;
  }

  private need(idOrName: string): Managed {
    const m = this.lookup(idOrName);
    if (m === undefined) {
      const known = this.list().map((p) => `${p.name} (${p.id})`).join(', ');
      throw new PortierError('IO_PORT_UNKNOWN', `The I/O plugin has no port "${idOrName}" (ports: ${known || 'none in use'}).`);
    }
    return m;
  }
}
