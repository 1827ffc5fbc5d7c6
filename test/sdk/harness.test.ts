import { describe, expect, it } from 'vitest';
import { startHarness } from '../../sdk/testing/index.js';

describe('startHarness', () => {
  it('refuses a name in `plugins` that is no built-in plugin, and says where a plugin folder goes', async () => {
    await expect(startHarness({ plugins: ['io', './plugins/my-door'] })).rejects.toThrow(
      expect.objectContaining({
        code: 'HARNESS_PLUGIN_UNKNOWN',
        message:
          'No built-in plugin is named "./plugins/my-door" (built-in: io). `plugins` names built-in plugins; pass the folder of your own plugin in `pluginPaths`.',
      }),
    );
  });
});
