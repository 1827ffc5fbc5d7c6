import { CHIP_TYPE_NAMES, type HttpApi, HttpError, LED_COLORS, type PresentedCredential, READER_BEEPS, z } from 'portier/sdk';

const credential = z.object({
  kind: z.enum(['card', 'pin']),
  value: z.string(),
  chipType: z.enum(CHIP_TYPE_NAMES).optional(),
  at: z.number(),
});

const status = z.object({
  connection: z.record(z.string(), z.unknown()),
  chipTypesOn: z.array(z.enum(CHIP_TYPE_NAMES)),
  dataSets: z.number().int(),
  led: z.enum(LED_COLORS),
  lastBeep: z.enum([...READER_BEEPS, 'none']),
  latestCardAt: z.number().nullable(),
});

export interface ReaderRouteSources {
  latestCard(): PresentedCredential | undefined;
  status(): z.output<typeof status>;
}

/**
 * The reader's routes under /api/v1/plugins/reader (declared with their
 * roles in the manifest): "Get latest" for adding a credential holder, and
 * what the reader is doing. Neither ever shows a data set's key.
 */
export function serveReaderRoutes(http: HttpApi, sources: ReaderRouteSources): void {
  http.route('GET', '/latest', { response: credential }, () => {
    const latest = sources.latestCard();
    if (latest === undefined) {
      throw new HttpError(404, 'READER_NO_CARD', 'No card has been presented since the reader started; hold the card to the reader, then ask again.');
    }
    return latest;
  });
  http.route('GET', '/status', { response: status }, () => sources.status());
}
