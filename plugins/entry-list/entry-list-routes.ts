import { type CredentialsService, type HttpApi, PortierError, respond, respondText, z } from 'portier/sdk';
import { PIN_MASK, holderInputSchema, holderUpdateSchema, validitySchema } from './holder.js';
import type { HolderStore } from './holder-store.js';

const holderReply = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string().optional(),
  card: z.string().optional(),
  pin: z.string().optional().describe(`Shown as ${PIN_MASK}; a PIN is not read back (send ${PIN_MASK} in a change to keep it)`),
  validity: validitySchema,
  createdAt: z.number(),
});

const idParams = z.object({ id: z.string().min(1).max(64) });

/** The entry list's routes under /api/v1/plugins/entry-list (roles in its manifest). */
export function serveEntryListRoutes(http: HttpApi, holders: HolderStore, credentials: CredentialsService): void {
  const view = (h: ReturnType<HolderStore['get']>) => ({ ...h, ...(h.pin === undefined ? {} : { pin: PIN_MASK }) });

  http.route('GET', '/holders', { response: z.array(holderReply) }, () => holders.list().map(view));
  http.route('POST', '/holders', { body: holderInputSchema, response: holderReply }, ({ body }) => respond(201, view(holders.add(body))));
  http.route('PUT', '/holders/{id}', { params: idParams, body: holderUpdateSchema, response: holderReply }, ({ params, body }) => view(holders.update(params.id, body)));
  http.route('DELETE', '/holders/{id}', { params: idParams }, ({ params }) => {
    holders.remove(params.id);
  });

  http.route('GET', '/latest-card', { response: z.object({ card: z.string(), chipType: z.string().optional(), at: z.number() }) }, () => {
    const latest = credentials.latestCard();
    if (latest === undefined) throw new PortierError('CARD_NOT_FOUND', 'No card has been presented since the reader started; swipe the card, then ask again.');
    return { card: latest.value, ...(latest.chipType === undefined ? {} : { chipType: latest.chipType }), at: latest.at };
  });

  // The CSV code loads with the first import or export, not with every start of the intercom.
  const csv = () => import('./holders-csv.js');
  // As a CSV file, which a spreadsheet opens and writes: GET answers text/csv, POST takes it.
  http.route('GET', '/export', { response: z.string() }, async () => respondText('text/csv', (await csv()).holdersToCsv(holders.list())));
  http.route(
    'POST',
    '/import',
    { body: z.string({ error: 'expected the CSV file as the body, with Content-Type: text/csv' }).max(256 * 1024), response: z.object({ holders: z.number() }) },
    async ({ body }) => ({ holders: holders.replaceAll((await csv()).holdersFromCsv(body)).length }),
  );
}
