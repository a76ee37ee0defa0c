import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { QueueRow } from '../../src/db/handoffs.ts';
import type { transcript } from '../../src/db/schema.ts';
import { createI18n } from '../../src/i18n.ts';
import { phone, userText, when } from '../../src/staff/views/common.ts';
import { queueRows, transcriptRows } from '../../src/staff/views/conversation.ts';
import type { PageContext } from '../../src/staff/views/layout.ts';

const i18n = createI18n();
const { org } = loadConfig({});

/** The page context of a console in `lang`, as the server builds it. */
function setup(lang: 'ar' | 'en' = 'ar'): PageContext {
  const t = i18n.getFixedT(lang, 'console');
  return { lang, t: (key, params) => String(t(key, params as never)) };
}

/** Sunday 09:00 in Riyadh: a working day, in working hours. */
const sundayMorning = new Date('2026-11-22T06:00:00Z');

function waiting(minutes: number, extra: Partial<QueueRow> = {}): QueueRow {
  return {
    handoff: {
      id: minutes + 1,
      conversationId: minutes + 1,
      status: 'waiting',
      priority: 0,
      reason: 'asked',
      claimedBy: null,
      overdue: false,
      closedBy: null,
      createdAt: new Date(sundayMorning.getTime() - minutes * 60_000),
      claimedAt: null,
      closedAt: null,
    },
    channel: 'whatsapp',
    locale: 'ar',
    profileName: null,
    phone: null,
    beneficiaryName: null,
    claimedByName: null,
    lastKind: 'text',
    lastText: 'السلام عليكم',
    lastAt: null,
    ...extra,
  };
}

/** The visible text of some HTML, marks that ICU inserts removed. */
const text = (html: { value: string }) =>
  html.value
    .replace(/<[^>]+>/g, ' ')
    .replace(/[\u200e\u200f\u061c]/g, '')
    .replace(/\s+/g, ' ');

type Row = typeof transcript.$inferSelect;
const row = (id: number, extra: Partial<Row>): Row => ({
  id,
  conversationId: 1,
  direction: 'in',
  author: 'user',
  kind: 'text',
  text: null,
  payload: null,
  messageId: null,
  createdAt: sundayMorning,
  ...extra,
});

describe('console views', () => {
  it('should say waiting time in working minutes with Arabic plural forms', () => {
    const shown = (minutes: number, lang: 'ar' | 'en' = 'ar') =>
      text(queueRows(setup(lang), [waiting(minutes)], sundayMorning, org));
    expect(shown(0)).toContain('أقل من دقيقة');
    expect(shown(1)).toContain('دقيقة واحدة');
    expect(shown(2)).toContain('دقيقتان');
    expect(shown(3)).toContain('٣ دقائق');
    expect(shown(11)).toContain('١١ دقيقة');
    expect(shown(2, 'en')).toContain('2 minutes');
  });

  it('should name the person, or say they have no name, and show the phone left to right', () => {
    const ctx = setup();
    const named = queueRows(ctx, [waiting(1, { profileName: 'أم فهد', phone: '+966501234567' })], sundayMorning, org);
    expect(named.value).toContain('<bdi>أم فهد</bdi>');
    expect(named.value).toContain('<bdi dir="ltr" class="phone">+966 50 123 4567</bdi>');
    const unnamed = queueRows(ctx, [waiting(1)], sundayMorning, org);
    expect(text(unnamed)).toContain(ctx.t('queue.unnamed'));
    const linked = queueRows(
      ctx,
      [waiting(1, { profileName: 'Um Fahad', beneficiaryName: 'نورة' })],
      sundayMorning,
      org,
    );
    expect(text(linked)).toContain('نورة');
    expect(text(linked)).not.toContain('Um Fahad');
  });

  it('should drop direction controls from what people write, and isolate it', () => {
    expect(userText('report\u202Efdp.exe').value).toBe('<bdi dir="auto">reportfdp.exe</bdi>');
    expect(userText('a\u2066b\u2069c\u202Ad\u202C', 'block').value).toBe('<div class="text" dir="auto">abcd</div>');
    const last = queueRows(setup(), [waiting(1, { lastText: 'مرحبا \u202Eabc' })], sundayMorning, org);
    expect(last.value).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(phone('+966501234567\u202E').toString()).toContain('+966 50 123 4567');
  });

  it('should date in the console language with the Hijri date beside', () => {
    const shown = (lang: 'ar' | 'en') =>
      String(when(sundayMorning, lang))
        .replace(/<[^>]+>/g, '')
        .replace(/[\u200e\u200f\u061c]/g, '');
    expect(shown('ar')).toBe('٢٢ نوفمبر ٢٠٢٦ ٩:٠٠ ص (١٢ جمادى الآخرة ١٤٤٨ هـ)');
    expect(shown('en')).toBe('22 November 2026 9:00 (12 Jumada II 1448 AH)');
  });

  it('should show a pressed button as the label it had, also in rows that arrive later', () => {
    const all = [
      row(1, {
        direction: 'out',
        author: 'bot',
        kind: 'message',
        text: 'هل توافق؟',
        payload: { options: [{ id: 'agree', label: 'أوافق' }] },
      }),
      row(2, { kind: 'choice', payload: { choiceId: 'agree' } }),
    ];
    const later = transcriptRows(setup(), all.slice(1), all);
    expect(text(later)).toContain('أوافق');
    expect(later.value).not.toContain('agree');
    // The day's heading once, where the day changes, not again for a row of the same day.
    expect(transcriptRows(setup(), all).value.match(/class="day"/g)).toHaveLength(1);
    expect(later.value).not.toContain('class="day"');
  });
});
