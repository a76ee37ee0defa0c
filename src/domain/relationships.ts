/** Who the patient is to a relative who applied for them (flows/events.ts names the same five). */
export const relationships = ['parent', 'child', 'spouse', 'sibling', 'other'] as const;
