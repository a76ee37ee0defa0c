import type { Db } from './client.ts';
import { ratings } from './schema.ts';

/** Keeps a beneficiary's rating of a service. */
export function recordRating(db: Db, rating: typeof ratings.$inferInsert): void {
  db.insert(ratings)
    .values({ answeredAt: new Date(), ...rating })
    .run();
}
