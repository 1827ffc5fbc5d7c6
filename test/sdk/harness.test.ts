import { describe, expect, it } from 'vitest';
import { startHarness } from '../../sdk/testing/index.js';

describe('startHarness', () => {
  it('refuses a name in `plugins` that is no built-in plugin, and says where a plugin folder goes', async () => {
    await expect(startHarness({ plugins: ['io', './plugins/my-door'] })).rejects.toThrow(
      expect.objectContaining({
        code: 'HARNESS_PLUGIN_UNKNOWN',
        // The list names every built-in plugin there is; io is one of them.
        message: expect.stringMatching(
          /^No built-in plugin is named "\.\/plugins\/my-door" \(built-in: [a-z-]+(, [a-z-]+)*\)\. `plugins` names built-in plugins; pass the folder of your own plugin in `pluginPaths`\.$/,
        ),
      }),
    );
  });
});
