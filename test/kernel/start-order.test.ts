import { describe, expect, it } from 'vitest';
import { resolveStartOrder } from '../../platform/plugins/dependency-graph.js';

const node = (name: string, builtin: boolean, requires: Record<string, string> = {}) => ({ name, version: '1.0.0', requires, file: `${name}/manifest.json`, builtin });

describe('start order', () => {
  it('starts built-in plugins before apps, so an app never takes the port of a built-in that starts after it', () => {
    // "door-chime" sorts before "io": by name alone the app would claim relay 2 first, and io would fail with the door lock.
    const { order } = resolveStartOrder([node('door-chime', false), node('io', true), node('alpha-app', false), node('reader', true)]);
    expect(order).toEqual(['io', 'reader', 'alpha-app', 'door-chime']);
  });

  it('still starts what a plugin requires before it', () => {
    const { order } = resolveStartOrder([node('io', true, { 'zz-helper': '^1.0.0' }), node('zz-helper', false)]);
    expect(order).toEqual(['zz-helper', 'io']);
  });
});
