import { sql } from 'drizzle-orm';
import { openStages } from '../domain/caseStages.ts';
import type { Db } from './client.ts';

/** How long what a closed matter leaves behind is kept. */
export interface RetentionPolicy {
  /** Transcript lines and delivered replies. */
  transcriptMs: number;
  /** Files people sent (ID copies, medical reports, photos, voice notes). */
  documentMs: number;
}

/** What one purge removed: counts for the log, and the files whose last row went. */
export interface PurgeResult {
  transcriptLines: number;
  outboxRows: number;
  /** Unfinished applications left longer than the transcript period. */
  draftsRemoved: number;
  /** Conversations silent that long whose saved dialog state (which may hold answers) was cleared. */
  conversationsReset: number;
  mediaRows: number;
  /** Files (relative to the data directory) no row refers to any more: the caller deletes them. */
  unreferencedPaths: string[];
}

const openCaseStages = sql.join(
  openStages.map((stage) => sql`${stage}`),
  sql`, `,
);

/**
 * A conversation still in use at `cutoff` (ms): a handoff, aid request or complaint that is open,
 * or that changed after the cutoff; a permanent beneficiary's case (reviewed periodically) is
 * always in use. Nothing of such a conversation is purged.
 */
function conversationInUse(cutoff: number) {
  return sql`(
    exists (select 1 from handoffs h where h.conversation_id = c.id
            and (h.status != 'closed' or coalesce(h.closed_at, h.created_at) > ${cutoff}))
    or exists (select 1 from cases k where k.conversation_id = c.id
            and (k.stage in (${openCaseStages}) or k.permanent = 1 or k.changed_at > ${cutoff}))
    or exists (select 1 from tickets t where t.conversation_id = c.id
            and (t.stage in ('open', 'in_progress') or t.changed_at > ${cutoff}))
  )`;
}

/**
 * Purges, in one transaction, what the policy no longer lets the association keep: transcript
 * lines, delivered replies, unfinished applications and the saved dialog state older than
 * `transcriptMs`, and files older than `documentMs`, of conversations with no open or recently
 * closed matter. What statistics and the law need stays:
 * the cases, tickets, handoffs and ratings themselves (stages, dates, scores), their event
 * histories and the audit log; a purged file's document row stays, without its file.
 */
export function purgeExpired(db: Db, now: Date, policy: RetentionPolicy): PurgeResult {
  const transcriptCutoff = now.getTime() - policy.transcriptMs;
  const documentCutoff = now.getTime() - policy.documentMs;
  return db.transaction((tx) => {
    const transcriptLines = tx.run(sql`
      delete from transcript where created_at < ${transcriptCutoff} and conversation_id in (
        select c.id from conversations c where not ${conversationInUse(transcriptCutoff)})`).changes;
    const outboxRows = tx.run(sql`
      delete from outbox where status != 'pending' and created_at < ${transcriptCutoff} and conversation_id in (
        select c.id from conversations c where not ${conversationInUse(transcriptCutoff)})`).changes;
    const draftsRemoved = tx.run(sql`
      delete from application_drafts where updated_at < ${transcriptCutoff} and conversation_id in (
        select c.id from conversations c where not ${conversationInUse(transcriptCutoff)})`).changes;
    // The person is greeted afresh if they ever write again, as after a new version of the dialog.
    const conversationsReset = tx.run(sql`
      update conversations set snapshot = null, options = '[]'
      where snapshot is not null and updated_at < ${transcriptCutoff} and id in (
        select c.id from conversations c where not ${conversationInUse(transcriptCutoff)})`).changes;
    const expired = tx.all<{ id: number; path: string }>(sql`
      select m.id, m.path from media m join conversations c on c.id = m.conversation_id
      where m.created_at < ${documentCutoff}
        and not ${conversationInUse(documentCutoff)}
        and not exists (select 1 from case_documents d join cases k on k.id = d.case_id where d.media_id = m.id
              and (k.stage in (${openCaseStages}) or k.permanent = 1 or k.changed_at > ${documentCutoff}))
        and not exists (select 1 from tickets t where t.media_id = m.id
              and (t.stage in ('open', 'in_progress') or t.changed_at > ${documentCutoff}))`);
    for (const { id } of expired) {
      tx.run(sql`update case_documents set media_id = null where media_id = ${id}`);
      tx.run(sql`update tickets set media_id = null where media_id = ${id}`);
      tx.run(sql`delete from media where id = ${id}`);
    }
    // Equal files share one stored file: it goes only when no row refers to it any more.
    const unreferencedPaths = [...new Set(expired.map((m) => m.path))].filter(
      (path) => tx.get<{ n: number }>(sql`select count(*) as n from media where path = ${path}`)?.n === 0,
    );
    return {
      transcriptLines,
      outboxRows,
      draftsRemoved,
      conversationsReset,
      mediaRows: expired.length,
      unreferencedPaths,
    };
  });
}

/** Folds the WAL into the database (and empties it) when no reader holds it; otherwise does what it can. */
export function checkpoint(db: Db): void {
  db.run(sql`pragma wal_checkpoint(TRUNCATE)`);
}

/** Every stored file's path (relative to the data directory) a row still refers to. */
export function referencedMediaPaths(db: Db): Set<string> {
  return new Set(db.all<{ path: string }>(sql`select distinct path from media`).map((row) => row.path));
}
