import type { PresentedCard } from 'portier/sdk';
import type { ReaderSettings } from './reader-settings.js';

/**
 * What a card presented to the reader is worth, as the manual's "Chip types"
 * and "Use protected data on cards" pages say:
 *
 * - a chip type that is off: the card is ignored;
 * - a data set for the chip type: the protected data is read with its key
 *   while the card is in the field; "use as UID" sends that data instead of
 *   the UID/CSN; "required data" ignores, silently, a card whose data cannot
 *   be read (a wrong key and an empty location look the same, as on a card);
 * - otherwise the UID/CSN.
 *
 * Undefined means "ignore the card". Data that cannot be read (wrong key,
 * nothing there, the card left first) is only a reason to ignore the card
 * when the data set requires it: "required data" is the manual's one switch
 * for dropping cards that do not comply, so without it such a card goes out
 * by its UID/CSN even when "use as UID" is on.
 */
export async function cardCredential(card: PresentedCard, settings: ReaderSettings): Promise<string | undefined> {
  if (!settings.chipTypes[card.chipType]) return undefined;
  const dataSet = settings.dataSets.find((set) => set.chipType === card.chipType);
  if (dataSet === undefined) return card.uid;
  let data: string | undefined;
  try {
    data = await card.readProtected(dataSet.location, dataSet.key);
  } catch {
    // CARD_GONE: the card left before it could be read; the same as no data.
    data = undefined;
  }
  // No bytes is no data, as an empty location is: an empty credential would go out and "comply".
  if (data === undefined || data === '') return dataSet.required ? undefined : card.uid;
  return dataSet.useAsUid ? data : card.uid;
}
