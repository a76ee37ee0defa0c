/**
 * What a flow that asks only for words and choices does, in any of its states, with the rest: it
 * follows a change of language (its `setLocale` action) and answers a photo, a location or a
 * contact politely (its `say` action). Spread into the machine's top-level `on`; a state that
 * wants a photo handles `media` itself.
 */
export const wordsOnly = {
  'locale.changed': { actions: 'setLocale' },
  media: { actions: { type: 'say', params: { key: 'common:mediaNotExpected' } } },
  location: { actions: { type: 'say', params: { key: 'common:mediaNotExpected' } } },
  contact: { actions: { type: 'say', params: { key: 'common:mediaNotExpected' } } },
} as const;
