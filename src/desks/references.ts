import { countLookupFailure, lookupFailuresSince, nextSequence } from '../db/cases.ts';
import type { Db } from '../db/client.ts';
import { hijriYear } from '../domain/hijri.ts';
import { formatReference } from '../domain/reference.ts';

/** Failed lookups (a reference, the ID's last digits) a chat may make in {@link lookupWindowMs} before it must wait. */
export const lookupLimit = 5;
export const lookupWindowMs = 60 * 60_000;

/** A new reference for a kind of request (`A` aid, `C` complaint), numbered per Hijri year. */
export function newReference(tx: Db, kind: 'A' | 'C', now: Date, timeZone: string): string {
  const year = hijriYear(now, timeZone) % 100;
  return formatReference({ kind, year, sequence: nextSequence(tx, kind, year) });
}

/**
 * The one cool-down of everything a chat looks up by what it types (a request, a complaint, its
 * own data to erase): `waitUntil` is when the chat may try again, or undefined while it may;
 * `fail()` counts a failed try.
 */
export function lookupGuard(tx: Db, conversationId: number, now: Date): { waitUntil?: number; fail(): void } {
  const recent = lookupFailuresSince(tx, conversationId, new Date(now.getTime() - lookupWindowMs));
  return {
    ...(recent.count >= lookupLimit ? { waitUntil: (recent.oldest ?? now.getTime()) + lookupWindowMs } : {}),
    fail: () => countLookupFailure(tx, conversationId, now, lookupWindowMs),
  };
}
