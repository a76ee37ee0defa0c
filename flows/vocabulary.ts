import ar from '../locales/ar/keywords.json' with { type: 'json' };

/**
 * The ids of the enquiry topics, in the order the menu offers them (the phrases that recognise
 * each are read at the edge, by the engine: flows see a text event's `topic`).
 */
export const topicIds = Object.keys(ar.topics);
