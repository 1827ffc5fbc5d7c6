import type { ClaimablePortKind, PortHandles, PortsApi } from '../../../sdk/ports.js';
import type { PortRegistry } from '../../hardware/port-registry.js';
import type { PluginScope } from './plugin-scope.js';

/** The board as one plugin sees it; its claims are released when it stops. */
export class PluginPorts implements PortsApi {
  constructor(
    private readonly registry: PortRegistry,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => registry.releaseAll(scope.name));
  }

  list(): ReturnType<PortsApi['list']> {
    return this.registry.list();
  }

  claim<K extends ClaimablePortKind>(portId: string, kind: K, purpose: string): PortHandles[K] {
    this.scope.assertOpen(`claim port ${portId}`);
    return this.registry.claim({
      owner: this.scope.name,
      portId,
      kind,
      purpose,
      allowedKinds: this.scope.manifest.hardware.map((h) => h.kind),
      guard: (listener) => this.scope.wrap(`listener of port ${portId}`, listener),
    });
  }

  release(portId: string): void {
    this.registry.release(this.scope.name, portId);
  }
}
