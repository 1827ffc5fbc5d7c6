import { z } from 'portier/sdk';

export const entryListSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Use Entry list: credentials found here are decided by the intercom itself'),
    useConnectedDoorController: z
      .boolean()
      .default(false)
      .describe('Credentials not in the list go to the door controller the reader is connected to (network connection), which decides'),
  })
  .strict();

export type EntryListSettings = z.output<typeof entryListSettingsSchema>;
