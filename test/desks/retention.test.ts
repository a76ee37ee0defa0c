import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/db/client.ts';
import { runRetention, scheduleRetention } from '../../src/desks/retention.ts';
import { MediaStore } from '../../src/engine/mediaStore.ts';
import { memoryLogger, tempDir } from '../helpers.ts';

const day = 86_400_000;
const now = new Date('2026-11-25T09:00:00Z');
const ago = (days: number) => now.getTime() - days * day;
const policy = { transcriptMs: 365 * day, documentMs: 180 * day };

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0).reverse()) done();
});

/**
 * A data folder with: a served aid request closed 400 days ago (its chat, its ID copy), a
 * complaint resolved 400 days ago with a photo, a permanent beneficiary's served request, an open
 * request, and a chat closed last month — each with old transcript lines, replies and ratings.
 */
async function setup() {
  const { dir, remove } = tempDir();
  const database: OpenDatabase = openDatabase(join(dir, 'assistant.db'), 'k'.repeat(64));
  cleanup.push(remove, () => database.close());
  const { db } = database;
  const store = new MediaStore(dir, 100_000, 'k'.repeat(64));
  const aidType = db.get<{ id: number }>(sql`select id from aid_types order by id limit 1`)!.id;
  const category = db.get<{ id: number }>(sql`select id from ticket_categories order by id limit 1`)!.id;

  const chat = (name: string, lastDaysAgo: number) => {
    const id = db.get<{ id: number }>(
      sql`insert into conversations (channel, chat_id, flow_version, profile_name) values ('telegram', ${name}, 1, ${name}) returning id`,
    )!.id;
    for (const daysAgo of [500, 450, lastDaysAgo]) {
      db.run(sql`insert into transcript (conversation_id, direction, author, kind, text, created_at)
                 values (${id}, 'in', 'user', 'text', ${`health details of ${name}`}, ${ago(daysAgo)})`);
      db.run(sql`insert into outbox (conversation_id, channel, chat_id, payload, status, created_at)
                 values (${id}, 'telegram', ${name}, ${JSON.stringify({ text: `summary for ${name}` })}, 'sent', ${ago(daysAgo)})`);
    }
    return id;
  };
  const file = async (conversationId: number, content: string, daysAgo: number) => {
    const stored = await store.save(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(content)]));
    return {
      id: db.get<{ id: number }>(sql`insert into media (conversation_id, kind, mime, size, sha256, path, created_at)
        values (${conversationId}, 'photo', ${stored.mime}, ${stored.size}, ${stored.sha256}, ${stored.path}, ${ago(daysAgo)}) returning id`)!
        .id,
      path: stored.path,
    };
  };
  let n = 0;
  const aidCase = (conversationId: number, stage: string, changedDaysAgo: number, permanent = false) => {
    n += 1;
    const id = db.get<{
      id: number;
    }>(sql`insert into cases (reference, conversation_id, source, applicant_name, national_id, phone,
        city, household_size, income, aid_type_id, description, stage, submitted_at, due_at, changed_at, permanent)
      values (${`A-47-0000${n}-0`}, ${conversationId}, 'chat', 'فاطمة', '1000000008', '+966501112233', 'buraydah', 4, '3000',
        ${aidType}, 'كرسي متحرك', ${stage}, ${ago(changedDaysAgo + 20)}, ${ago(changedDaysAgo + 6)}, ${ago(changedDaysAgo)}, ${permanent ? 1 : 0})
      returning id`)!.id;
    db.run(
      sql`insert into case_events (case_id, to_stage, created_at) values (${id}, ${stage}, ${ago(changedDaysAgo)})`,
    );
    db.run(sql`insert into ratings (conversation_id, subject, subject_id, channel, score, asked_at, answered_at, created_at)
      values (${conversationId}, 'case', ${id}, 'telegram', 5, ${ago(changedDaysAgo)}, ${ago(changedDaysAgo)}, ${ago(changedDaysAgo)})`);
    return id;
  };
  const document = (caseId: number, mediaId: number) =>
    db.run(sql`insert into case_documents (case_id, media_id, status) values (${caseId}, ${mediaId}, 'received')`);

  const served = chat('served', 400);
  const openChatDraft = (conversationId: number, daysAgo: number) =>
    db.run(sql`insert into application_drafts (conversation_id, answers, updated_at)
      values (${conversationId}, ${JSON.stringify({ nationalId: '1000000008' })}, ${ago(daysAgo)})`);
  openChatDraft(served, 400);
  db.run(sql`update conversations set snapshot = '{"value":"rating"}', updated_at = ${ago(400)} where id = ${served}`);
  const servedCase = aidCase(served, 'served', 400);
  const servedId = await file(served, 'ID copy of served', 420);
  document(servedCase, servedId.id);

  const complained = chat('complained', 400);
  const photo = await file(complained, 'photo of complaint', 420);
  db.run(sql`insert into tickets (reference, conversation_id, kind, category_id, text, media_id, stage, created_at, due_at, changed_at, resolved_at)
    values ('C-47-00001-0', ${complained}, 'complaint', ${category}, 'late answer', ${photo.id}, 'resolved', ${ago(420)}, ${ago(410)}, ${ago(400)}, ${ago(400)})`);

  const permanentChat = chat('permanent', 400);
  const permanentCase = aidCase(permanentChat, 'served', 400, true);
  const permanentId = await file(permanentChat, 'ID copy of permanent', 420);
  document(permanentCase, permanentId.id);

  const openChat = chat('open', 400);
  const openCase = aidCase(openChat, 'under_research', 400);
  openChatDraft(openChat, 400);
  db.run(sql`update conversations set snapshot = '{"value":"aid"}', updated_at = ${ago(400)} where id = ${openChat}`);
  const openId = await file(openChat, 'ID copy of open', 420);
  document(openCase, openId.id);

  const recent = chat('recent', 30);
  db.run(
    sql`insert into handoffs (conversation_id, status, reason, created_at, closed_at) values (${recent}, 'closed', 'staff', ${ago(31)}, ${ago(30)})`,
  );

  const count = (table: string, conversationId: number) =>
    db.get<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)} where conversation_id = ${conversationId}`)!
      .n;
  return {
    dir,
    db,
    chats: { served, complained, permanentChat, openChat, recent },
    files: { servedId, photo, permanentId, openId },
    count,
    servedCase,
  };
}

describe('retention › the daily purge', () => {
  it('should purge transcripts, replies and files of matters closed longer ago than the periods', async () => {
    const s = await setup();
    const report = await runRetention({ db: s.db, dataDir: s.dir, policy, now });

    // The served request and the resolved complaint: transcripts and files gone.
    for (const chat of [s.chats.served, s.chats.complained]) {
      expect(s.count('transcript', chat)).toBe(0);
      expect(s.count('outbox', chat)).toBe(0);
      expect(s.count('media', chat)).toBe(0);
    }
    expect(existsSync(join(s.dir, s.files.servedId.path))).toBe(false);
    expect(existsSync(join(s.dir, s.files.photo.path))).toBe(false);
    expect(s.count('application_drafts', s.chats.served)).toBe(0);
    expect(s.db.get(sql`select snapshot from conversations where id = ${s.chats.served}`)).toEqual({ snapshot: null });
    expect(report).toMatchObject({
      transcriptLines: 6,
      outboxRows: 6,
      draftsRemoved: 1,
      conversationsReset: 1,
      mediaRows: 2,
      filesDeleted: 2,
    });
  });

  it('should keep what is still in use: an open request, a permanent beneficiary, a chat closed last month', async () => {
    const s = await setup();
    await runRetention({ db: s.db, dataDir: s.dir, policy, now });
    for (const chat of [s.chats.permanentChat, s.chats.openChat, s.chats.recent]) {
      expect(s.count('transcript', chat)).toBe(3);
      expect(s.count('outbox', chat)).toBe(3);
    }
    expect(s.count('application_drafts', s.chats.openChat)).toBe(1);
    expect(s.db.get(sql`select snapshot from conversations where id = ${s.chats.openChat}`)).toEqual({
      snapshot: '{"value":"aid"}',
    });
    expect(s.count('media', s.chats.permanentChat)).toBe(1);
    expect(s.count('media', s.chats.openChat)).toBe(1);
    expect(existsSync(join(s.dir, s.files.permanentId.path))).toBe(true);
    expect(existsSync(join(s.dir, s.files.openId.path))).toBe(true);
  });

  it('should keep the anonymous statistics: cases, their history, complaints and ratings', async () => {
    const s = await setup();
    const counts = () =>
      ['cases', 'case_events', 'case_documents', 'tickets', 'ratings', 'conversations'].map(
        (table) => s.db.get<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)}`)!.n,
      );
    const before = counts();
    await runRetention({ db: s.db, dataDir: s.dir, policy, now });
    expect(counts()).toEqual(before);
    // The served request's document row says it was received; only the file is gone.
    expect(
      s.db.get(sql`select status, media_id as mediaId from case_documents where case_id = ${s.servedCase}`),
    ).toEqual({ status: 'received', mediaId: null });
    expect(s.db.get(sql`select stage, media_id as mediaId from tickets`)).toEqual({ stage: 'resolved', mediaId: null });
  });

  it('should delete files a crash left with no row, after a day, and nothing newer', async () => {
    const s = await setup();
    const orphan = join(s.dir, 'media', 'ab', 'orphan.jpg');
    const fresh = join(s.dir, 'media', 'ab', 'fresh.jpg');
    mkdirSync(join(s.dir, 'media', 'ab'), { recursive: true });
    writeFileSync(orphan, 'x');
    writeFileSync(fresh, 'x');
    utimesSync(orphan, new Date(ago(2)), new Date(ago(2)));
    utimesSync(fresh, now, now);
    await runRetention({ db: s.db, dataDir: s.dir, policy, now });
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});

describe('retention › the schedule', () => {
  it('should run every day at RETENTION_AT in Riyadh time', async () => {
    const s = await setup();
    const job = scheduleRetention({
      db: s.db,
      dataDir: s.dir,
      policy,
      at: '03:00',
      timeZone: 'Asia/Riyadh',
      logger: memoryLogger().logger,
    });
    cleanup.push(() => job.stop());
    const next = job.nextRun()!;
    // 03:00 in Riyadh (UTC+3, no daylight saving) is midnight UTC, within the next day.
    expect(next.getUTCHours()).toBe(0);
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(day);
  });
});
