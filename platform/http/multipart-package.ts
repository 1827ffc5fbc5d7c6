import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { BusboyHeaders, BusboyInstance } from '@fastify/busboy';
import { PortierError } from '../../sdk/errors.js';

export interface FormLimits {
  maxPackageBytes: number;
  /** Fields besides the file (a note from a web form); more is refused. */
  fields: number;
  fieldBytes: number;
}

export interface FormPackage {
  bytes: Buffer;
  fileName: string;
}

/**
 * The one package file of a multipart/form-data upload. The parser (busboy)
 * is loaded with the first form, not when the intercom starts. A form with
 * more than one file, too many or too large fields, or a file over the limit
 * is refused whole and nothing is kept of it.
 */
export async function packageFromForm(body: Readable, headers: IncomingHttpHeaders, limits: FormLimits): Promise<FormPackage> {
  const { Busboy } = await import('@fastify/busboy');
  return new Promise((resolve, reject) => {
    let found: FormPackage | undefined;
    let settled = false;
    const fail = (error: PortierError): void => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      // Read the rest so the reply can go out on a connection that is still in order.
      body.resume();
      reject(error);
    };
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: headers as BusboyHeaders, limits: { files: 1, fields: limits.fields, fieldSize: limits.fieldBytes, parts: limits.fields + 1, fileSize: limits.maxPackageBytes } });
    } catch (error) {
      reject(formInvalid(`The form cannot be read (${(error as Error).message}); send the package as a multipart/form-data file field (curl -F package=@app.tgz).`));
      return;
    }
    parser.on('file', (_field: string, file: Readable & { truncated?: boolean }, fileName: string) => {
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => chunks.push(chunk));
      file.on('limit', () => fail(Object.assign(new PortierError('PACKAGE_TOO_LARGE', `The package is larger than ${limits.maxPackageBytes} bytes, the most an app may be.`), { status: 413 })));
      file.on('end', () => {
        if (file.truncated !== true) found = { bytes: Buffer.concat(chunks), fileName };
      });
    });
    parser.on('field', (_name: string, _value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (nameTruncated || valueTruncated) fail(formInvalid(`A form field is longer than ${limits.fieldBytes} bytes; send the package as the file field and little else (curl -F package=@app.tgz).`));
    });
    parser.on('filesLimit', () => fail(formInvalid('The form has more than one file; send one package per request, as its only file field (curl -F package=@app.tgz).')));
    const tooMany = (): void => fail(formInvalid(`The form has more than ${limits.fields} fields; send the package as its file field and little else (curl -F package=@app.tgz).`));
    parser.on('fieldsLimit', tooMany);
    parser.on('partsLimit', tooMany);
    parser.on('error', (error: Error) => fail(formInvalid(`The form is not valid multipart/form-data (${error.message}).`)));
    parser.on('finish', () => {
      if (settled) return;
      settled = true;
      if (found === undefined) reject(new PortierError('PACKAGE_MISSING', 'The form has no file: send the package as its file field (curl -F package=@app.tgz).'));
      else resolve(found);
    });
    body.pipe(parser);
  });
}

function formInvalid(message: string): PortierError {
  return Object.assign(new PortierError('PACKAGE_FORM_INVALID', message), { status: 400 });
}
