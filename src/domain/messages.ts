/**
 * The languages the assistant speaks; Arabic is the default. (flows/events.ts spells the same
 * union for the flows, which import nothing under src/.)
 */
export type Locale = 'ar' | 'en';

/** An option as shown to the user, with its label in every language for matching typed text. */
export interface ShownOption {
  id: string;
  labels: string[];
}

/** A message for a person as the engine hands it to a channel: text, and options to offer. */
export interface OutboundMessage {
  locale: string;
  text: string;
  options?: { id: string; label: string }[];
  /** What the person wrote that this message echoes (see `Reply.flag`): staff views hide it as they hide the original. */
  flag?: 'health' | 'aboutStaff';
}
