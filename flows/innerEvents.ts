import type { Locale } from './events.ts';
import type { RatingItem } from './rating/ratingOptions.ts';

/**
 * The person changed the language while a staff member had the conversation: the root tells
 * the dialog, which tells its child, so that what they say next (the names of a configured list,
 * digits) is in the new language.
 */
export interface LocaleChanged {
  type: 'locale.changed';
  locale: Locale;
}

/**
 * A durable timer fired while the person was with staff or rating their help: the root hands it
 * to the dialog to keep, never to act on now (a periodic review must not interrupt a person).
 */
export interface TimerDeferred {
  type: 'timer.deferred';
  key: string;
}

/**
 * A served request or a resolved complaint may be rated, but the person is with staff or rating
 * something else: the root hands the item to the dialog, which asks at the next main menu.
 */
export interface RatingDeferred {
  type: 'rating.deferred';
  item: RatingItem;
}

/** What the flows say to each other and never to the engine. */
export type InnerEvent = LocaleChanged | TimerDeferred | RatingDeferred;
