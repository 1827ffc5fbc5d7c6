import { networkInterfaces } from 'node:os';

/**
 * The address peers reach us at, for Contact, SDP and the P2P account's
 * sip:<device address>: the one set in the settings, else the listen address
 * when it is a specific one, else the first external IPv4 of the device.
 */
export function deviceAddress(listen: string, advertised: string | undefined): string {
  if (advertised !== undefined) return advertised;
  if (listen !== '0.0.0.0' && listen !== '::') return listen;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}
