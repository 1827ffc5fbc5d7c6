/**
 * The files `portier new <name>` writes: a plugin that builds, tests and packs
 * on its own, written against `portier/sdk` only. Kept as code rather than
 * template files so they ship inside the compiled CLI with nothing to copy.
 */

export interface AppNames {
  /** kebab-case plugin name: `door-bell`. */
  name: string;
  /** `Door Bell`. */
  displayName: string;
  /** `DoorBellPlugin`. */
  className: string;
}

export interface AppVersions {
  /** The devDependency range of the `portier` package, e.g. `^0.1.0`. */
  portierRange: string;
  /** The manifest's `platform` range, e.g. `^1.0.0`. */
  platformRange: string;
}

/** Tool versions the scaffold asks for; the ones Portier itself builds and tests with. */
const TOOL_RANGES = {
  '@types/node': '^20.19.0',
  esbuild: '^0.28.0',
  typescript: '~5.9.0',
  vitest: '^4.1.0',
} as const;

export function appNames(name: string): AppNames {
  const words = name.split('-');
  const capitalised = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return { name, displayName: capitalised.join(' '), className: `${capitalised.join('')}Plugin` };
}

/** Relative path → content, in the order they are written. */
export function appFiles(names: AppNames, versions: AppVersions): [string, string][] {
  return [
    ['manifest.json', manifestJson(names, versions)],
    ['package.json', packageJson(names, versions)],
    ['tsconfig.json', TSCONFIG],
    ['build.mjs', BUILD_SCRIPT],
    ['src/index.ts', pluginSource(names)],
    [`test/${names.name}.test.ts`, pluginTest(names)],
    ['.gitignore', GITIGNORE],
    ['README.md', readme(names)],
  ];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function manifestJson({ name, displayName }: AppNames, { platformRange }: AppVersions): string {
  return json({
    $schema: './node_modules/portier/manifest-schema/v1.json',
    schemaVersion: 1,
    name,
    displayName,
    version: '0.1.0',
    vendor: 'Your company',
    description: `What ${displayName} does, in one paragraph an integrator reads before installing it.`,
    main: './dist/index.js',
    platform: platformRange,
    hardware: [],
    contributes: {
      events: {
        greeted: {
          title: 'Visitor greeted',
          description: 'The greet action ran: the greeting, and the rule that asked for it.',
          stateful: false,
        },
      },
      actions: {
        greet: {
          title: 'Greet the visitor',
          description: `Writes a greeting to ${displayName}'s log and announces it as ${name}/greeted.`,
          lasts: 'fixed',
        },
      },
    },
  });
}

function packageJson({ name, displayName }: AppNames, { portierRange }: AppVersions): string {
  return json({
    name,
    private: true,
    type: 'module',
    description: `${displayName}, a Portier app. Its version is the one in manifest.json.`,
    scripts: {
      build: 'node build.mjs',
      typecheck: 'tsc --noEmit',
      test: 'vitest run',
      pack: 'node build.mjs && portier pack .',
    },
    devDependencies: {
      '@types/node': TOOL_RANGES['@types/node'],
      esbuild: TOOL_RANGES.esbuild,
      portier: portierRange,
      typescript: TOOL_RANGES.typescript,
      vitest: TOOL_RANGES.vitest,
    },
  });
}

const TSCONFIG = json({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: false,
    useDefineForClassFields: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src', 'test'],
});

const BUILD_SCRIPT = `// Bundles src/index.ts into dist/index.js (ESM for Node 20), the file the
// manifest's "main" names. \`portier/sdk\` stays an import: the intercom gives
// every app the SDK of the platform it runs on, so app and platform share one
// container and one set of tokens. Everything else the app uses is bundled in.
//
//   node build.mjs
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const result = await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(here, 'dist', 'index.js'),
  tsconfig: join(here, 'tsconfig.json'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['portier/sdk'],
  write: false,
  logLevel: 'warning',
});

// Written under a temporary name, then renamed: test files that build at the
// same time never import a half-written bundle.
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = \`\${file.path}.\${process.pid}.tmp\`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
`;

function pluginSource({ name, displayName, className }: AppNames): string {
  return `import { type EventsApi, type Logger, type Plugin, type RulesApi, TOKENS, inject, injectable, z } from 'portier/sdk';

const greetParams = z
  .object({
    greeting: z.string().trim().min(1).max(200).default('Hello').describe('What to say'),
  })
  .strict();

const greetedPayload = z.object({ greeting: z.string(), rule: z.string() });

/**
 * ${displayName}. The kernel resolves this class in the plugin's own
 * container: every constructor parameter names its token with @inject.
 */
@injectable()
export default class ${className} implements Plugin {
  constructor(
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.rules) private readonly rules: RulesApi,
  ) {}

  start(): void {
    // Each event and action is declared in manifest.json first; its code comes here.
    const greeted = this.events.stateless('greeted', greetedPayload);
    this.rules.action('greet', {
      params: greetParams,
      run: (params, context) => {
        this.logger.info(params.greeting, { rule: context.ruleName });
        greeted.emit({ greeting: params.greeting, rule: context.ruleName });
      },
    });
    this.logger.info('${name} started');
  }

  stop(): void {
    this.logger.info('${name} stopped');
  }
}
`;
}

function pluginTest({ name }: AppNames): string {
  return `import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from 'portier/sdk/testing';

/** This app's folder: the harness loads it from here, as an intercom loads an installed app. */
const APP = fileURLToPath(new URL('..', import.meta.url));

// The harness runs dist/index.js, the file manifest.json's "main" names and
// \`portier pack\` ships; build it first so a test never runs a stale bundle.
beforeAll(() => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url))], { stdio: 'inherit' });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it('greets when a rule runs its action: a button on I/O 1 is pressed', async () => {
  // A whole Portier in memory, on the simulated intercom and fake time: the
  // built-in io plugin and this app.
  h = await startHarness({ plugins: ['io'], pluginPaths: [APP] });
  expect(h.plugin('${name}').state).toBe('running');

  h.createRule({
    name: 'Button on I1',
    trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
    actions: [{ type: '${name}/greet', params: { greeting: 'Welcome' } }],
  });
  h.setInput('io-1', true);
  await h.advanceSeconds(1);

  expect(h.events('${name}/greeted').map((e) => e.payload)).toEqual([{ greeting: 'Welcome', rule: 'Button on I1' }]);
});
`;
}

const GITIGNORE = `node_modules/
dist/
*.tgz
# A signing key never goes into version control.
*.key.pem
`;

function readme({ name, displayName }: AppNames): string {
  return `# ${displayName}

A Portier app. Its manifest (\`manifest.json\`) says what it is and what it
contributes; \`src/index.ts\` is the plugin class; \`test/\` tests it on the
Portier test harness (a whole intercom in memory, with fake time).

\`\`\`sh
npm install
npm run build       # dist/index.js, the bundle the manifest's "main" names
npm test            # builds, then runs the tests on the harness
npm run typecheck
\`\`\`

## Pack, sign, install

The version is the one in \`manifest.json\`; raise it there for an upgrade.

\`\`\`sh
npm run pack                                    # ${name}-<version>.tgz
npx portier keygen --out my-company             # once: my-company.key.pem (secret) + my-company.pub.pem
npx portier sign ${name}-0.1.0.tgz --key my-company.key.pem
npx portier install ${name}-0.1.0.tgz --url https://HOST:8443 --user admin
\`\`\`

An administrator adds \`my-company.pub.pem\` to the intercom's trusted keys
first (\`POST /api/v1/apps/trusted-keys\`). The password is asked for, or taken
from \`PORTIER_PASSWORD\`. See the SDK guide in \`node_modules/portier/sdk/README.md\`.
`;
}
