/** Why a message reaches the missed questions (flows/events.ts names the same three in `understanding.missed`). */
export const missedReasons = ['unclear', 'unhelpful', 'changed'] as const;
export type MissedReason = (typeof missedReasons)[number];
