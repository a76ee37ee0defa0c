import { describe, expect, it } from 'vitest';
import { findConversation } from '../../src/db/conversations.ts';
import { insertDataRequest } from '../../src/db/dataRequests.ts';
import { auditLog } from '../../src/db/schema.ts';
import { createI18n } from '../../src/i18n.ts';
import { consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar');
const setup = consoleSetups();
const dayMs = 86_400_000;

describe('the data requests page (/privacy)', () => {
  it('should list open requests by their 30-day date, flag and count those past it, and audit the views', async () => {
    const s = await setup();
    const db = s.app.database.db;
    for (const [i, text] of ['السلام عليكم', '1', 'احذف بياناتي', '1'].entries()) {
      await s.app.engine.handle({ channel: 'console', chatId: 'c1', messageId: `m${i}`, kind: 'text', text });
    }
    const conversation = findConversation(db, 'console', 'c1')!;
    // One filed 40 days ago and never finished.
    const now = Date.now();
    const late = insertDataRequest(db, {
      conversationId: conversation.id,
      channel: 'console',
      kind: 'erasure',
      createdAt: new Date(now - 40 * dayMs),
      dueAt: new Date(now - 10 * dayMs),
    });

    const manager = await s.loggedIn('majed');
    const list = await (await manager.get('/privacy')).text();
    expect(list).toContain(`${t('privacy:console.status.open')} (2)`);
    expect(list).toContain(t('privacy:console.overdueCount', { count: 1 }));
    // The late one first, flagged; the new one after it.
    expect(list.indexOf(`D-${String(late.id).padStart(5, '0')}`)).toBeLessThan(list.indexOf('D-00001'));
    expect(list.match(/class="badge p2"/g)?.length).toBe(1);
    const page = await (await manager.get(`/privacy/${late.id}`)).text();
    expect(page).toContain(t('privacy:console.lateNotice'));
    expect(
      db
        .select()
        .from(auditLog)
        .all()
        .filter((a) => a.action === 'view' && a.objectType.startsWith('dataRequest')).length,
    ).toBe(2);

    // Officers, researchers and admins have no such page.
    for (const username of ['huda', 'rana', 'admin']) {
      expect((await (await s.loggedIn(username)).get('/privacy')).status, username).toBe(403);
    }
  });
});
