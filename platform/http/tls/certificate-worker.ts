/** Generates the first-start certificate off the main thread (see prepareCertificate) and posts it back. */
import { parentPort } from 'node:worker_threads';
import { generateSelfSigned } from './self-signed.js';

parentPort!.postMessage(await generateSelfSigned());
