/**
 * A Portier that installs one package and is killed (-9) by the test at some
 * moment of it: `node --import tsx install-child.ts <dataDir> <package.tgz>
 * <trusted.pub.pem>`. Prints "installing" right before the install begins and
 * "installed <version>" when it is done.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppManager } from '../../../platform/apps/app-manager.js';
import { TrustStore } from '../../../platform/apps/trust-store.js';
import { Kernel } from '../../../platform/kernel.js';

const [dataDir, packageFile, publicKeyFile] = process.argv.slice(2) as [string, string, string];
const kernel = await Kernel.create({ dataDir, only: ['io', 'chime-lite'], timeZone: 'UTC' });
await kernel.start();
const trust = new TrustStore(kernel.db, kernel.clock);
if (trust.list().length === 0) await trust.add('Acme Door Systems', readFileSync(publicKeyFile, 'utf8'));
const apps = new AppManager(kernel, join(dataDir, 'apps'), trust);
const bytes = readFileSync(packageFile);
process.stdout.write('installing\n');
const result = await apps.install(bytes, 'chime-lite.tgz');
process.stdout.write(`installed ${result.app.version} ${result.app.state}\n`);
await kernel.stop();
