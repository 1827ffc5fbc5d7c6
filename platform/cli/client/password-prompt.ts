import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * The password for the API: from PORTIER_PASSWORD when set (scripts, CI), or
 * asked on the terminal without echoing it.
 */
export async function passwordFor(username: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.PORTIER_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new Error(`no password for ${username}: set PORTIER_PASSWORD, or run in a terminal to be asked`);
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(`Password for ${username}: `, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}
