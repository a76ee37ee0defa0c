import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/channels/whatsapp/render.ts';
import { toInbound, type WhatsAppMessage } from '../../../src/channels/whatsapp/toInbound.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/whatsapp/${name}.json`, 'utf8')) as WhatsAppMessage;
const linkedAt = 1764000000;
const base = {
  channel: 'whatsapp',
  chatId: '966501234567@c.us',
  senderPhone: '+966501234567',
  senderName: 'أبو محمد',
};

describe('whatsapp toInbound', () => {
  it("should read text, deduplicated on the message's own id, with the sender phone in E.164", () => {
    expect(toInbound(fixture('text'), linkedAt)).toEqual({
      type: 'inbound',
      inbound: {
        ...base,
        messageId: '3EB0A1B2C3D4E5F60718',
        sentAt: new Date('2025-11-25T10:00:00.000Z'),
        kind: 'text',
        text: 'السلام عليكم، وش الأوراق المطلوبة؟',
      },
    });
  });

  it('should pass a numbered reply on as text for the engine to read', () => {
    expect(toInbound(fixture('numbered-reply'), linkedAt)).toMatchObject({ inbound: { kind: 'text', text: '٢' } });
  });

  it('should read images, PDFs and voice notes as media', () => {
    expect(toInbound(fixture('image'), linkedAt)).toMatchObject({
      inbound: { kind: 'media', media: 'photo', mime: 'image/jpeg', size: 84512, caption: 'صورة الهوية' },
    });
    expect(toInbound(fixture('document'), linkedAt)).toMatchObject({
      inbound: { kind: 'media', media: 'document', mime: 'application/pdf', fileName: 'تقرير طبي.pdf' },
    });
    expect(toInbound(fixture('voice'), linkedAt)).toMatchObject({ inbound: { kind: 'media', media: 'voice' } });
  });

  it('should read locations, and contacts as their phone number', () => {
    expect(toInbound(fixture('location'), linkedAt)).toMatchObject({
      inbound: { kind: 'location', latitude: 26.3592, longitude: 43.9818 },
    });
    expect(toInbound(fixture('vcard'), linkedAt)).toMatchObject({
      inbound: { kind: 'contact', phone: '+966551234567' },
    });
  });

  it('should mark stickers as unsupported, to be answered politely', () => {
    expect(toInbound(fixture('sticker'), linkedAt)).toMatchObject({
      inbound: { kind: 'unsupported', what: 'sticker' },
    });
  });

  it.each([
    ['own', 'own message'],
    ['group', 'group'],
    ['status', 'status update'],
    ['before-link', 'from before the link'],
    ['revoked', 'revoked message'],
  ])('should ignore the %s message', (name, reason) => {
    expect(toInbound(fixture(name), linkedAt)).toEqual({ type: 'ignore', reason });
  });

  it('should serve a sender whose id hides the phone number, without a phone', () => {
    const reading = toInbound(fixture('lid-sender'), linkedAt);
    expect(reading).toMatchObject({ inbound: { chatId: '203912345678901@lid', kind: 'text' } });
    expect(reading.type === 'inbound' ? reading.inbound.senderPhone : 'ignored').toBeUndefined();
  });

  it('should put an @lid sender in the conversation the channel found, with their phone, under the same message id', () => {
    const sender = { chatId: '966501234567@c.us', phone: '+966501234567' };
    expect(toInbound(fixture('lid-sender'), linkedAt, sender)).toMatchObject({
      inbound: { chatId: '966501234567@c.us', senderPhone: '+966501234567', messageId: '3EB0LID' },
    });
  });
});

describe('whatsapp render', () => {
  it('should list options with Arabic-Indic numerals in Arabic and Latin ones in English', () => {
    const options = [
      { id: 'enquiries', label: 'استفسارات عامة' },
      { id: 'aid', label: 'تقديم طلب مساعدة' },
    ];
    expect(render({ locale: 'ar', text: 'اختر:', options })).toEqual([
      'اختر:\n\n*١.* استفسارات عامة\n*٢.* تقديم طلب مساعدة',
    ]);
    expect(render({ locale: 'en', text: 'Pick:', options: [{ id: 'a', label: 'A' }] })).toEqual(['Pick:\n\n*1.* A']);
  });

  it('should split a long text into readable messages on line boundaries', () => {
    const text = Array.from({ length: 200 }, (_, i) => `سطر ${i}: ${'ن'.repeat(30)}`).join('\n');
    const parts = render({ locale: 'ar', text });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('\n')).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3500);
  });
});
