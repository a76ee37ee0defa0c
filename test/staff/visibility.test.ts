import { describe, expect, it } from 'vitest';
import { enqueueReply, failPending } from '../../src/db/outbox.ts';
import { appendTranscript, flagSent } from '../../src/db/transcript.ts';
import { Renderer } from '../../src/engine/renderer.ts';
import { createI18n } from '../../src/i18n.ts';
import { config } from '../helpers.ts';
import { beneficiaryAsksForStaff, consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar');
const setup = consoleSetups();

/** What a person wrote of their health, and of a staff member. */
const need = 'امي عندها فشل كلوي وتحتاج سرير طبي';
const aboutStaff = 'الموظف في الاستقبال صرخ علي قدام الناس';

describe('one visibility rule wherever text is shown', () => {
  it('should mark the assistant’s own message with what it echoes', () => {
    const renderer = new Renderer(createI18n(), config.org, 14);
    const { message } = renderer.render(
      [{ type: 'reply', key: 'aid:summary.self', params: { description: need }, flag: 'health' }],
      'ar',
    );
    expect(message.flag).toBe('health');
  });

  it('should hide echoed health details and a complaint about staff from an officer, in the transcript and the unsent replies, and show them to those who may read them', async () => {
    const s = await setup();
    const db = s.app.database.db;
    const conversationId = await beneficiaryAsksForStaff(s.app, 'echo');
    const now = new Date();
    const out = (text: string, flag?: 'health') => {
      const payload = { locale: 'ar', text, ...(flag ? { flag } : {}) };
      enqueueReply(db, { conversationId, channel: 'console', chatId: 'echo', payload }, now);
      appendTranscript(db, {
        conversationId,
        createdAt: now,
        direction: 'out',
        author: 'bot',
        kind: 'message',
        text,
        payload,
      });
    };
    // The application's summary, marked as it is written; a complaint's confirmation, echoing what was
    // later filed about a staff member (then marked with it).
    out(`٨. الاحتياج والحالة الصحية: ${need}`, 'health');
    appendTranscript(db, {
      conversationId,
      createdAt: now,
      direction: 'in',
      author: 'user',
      kind: 'text',
      text: aboutStaff,
    });
    out(`فضلًا راجع شكواك قبل إرسالها:\nالنص: ${aboutStaff}`);
    flagSent(db, conversationId, { text: aboutStaff }, 'aboutStaff');
    failPending(db, conversationId, 'ChannelSendError: 403');

    const officer = await s.loggedIn('huda');
    for (const page of [`/conversations/${conversationId}`, '/outbox']) {
      const html = await (await officer.get(page)).text();
      expect(html, page).not.toContain('فشل كلوي');
      expect(html, page).not.toContain('صرخ علي');
      expect(html, page).toContain(t('privacy:console.healthHidden'));
      expect(html, page).toContain(t('tickets:console.aboutStaffHidden'));
    }
    const manager = await s.loggedIn('majed');
    for (const page of [`/conversations/${conversationId}`, '/outbox']) {
      const html = await (await manager.get(page)).text();
      expect(html, page).toContain('فشل كلوي');
      expect(html, page).toContain('صرخ علي');
    }
  });
});
