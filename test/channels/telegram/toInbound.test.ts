import { readFileSync } from 'node:fs';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { toInbound } from '../../../src/channels/telegram/toInbound.ts';
import { senderNameOf } from '../../../src/domain/inbound.ts';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/telegram/${name}.json`, 'utf8')) as Update;
const base = { channel: 'telegram', chatId: '555000111', senderName: 'أبو محمد' };
/** Every fixture message was sent at the same moment (`date` 1764064800). */
const sentAt = new Date('2025-11-25T10:00:00.000Z');

describe('telegram toInbound', () => {
  it('should read text with the update id as the message id', () => {
    expect(toInbound(fixture('text'))).toEqual({
      type: 'inbound',
      inbound: { ...base, sentAt, messageId: 'u880001', kind: 'text', text: 'وش الأوراق المطلوبة؟' },
    });
  });

  it('should read commands, also when addressed to the bot by name', () => {
    expect(toInbound(fixture('command-start'))).toMatchObject({ inbound: { kind: 'command', command: 'start' } });
    expect(toInbound(fixture('command-menu-with-bot'))).toMatchObject({
      inbound: { kind: 'command', command: 'menu' },
    });
  });

  it('should read a button press as a choice, with the callback to answer and the keyboard to remove', () => {
    expect(toInbound(fixture('callback'))).toEqual({
      type: 'inbound',
      inbound: { ...base, messageId: 'u880004', kind: 'choice', choiceId: 'enquiries' },
      callback: { id: '4382017201938475', messageId: 42 },
    });
  });

  it('should read photos (largest size), documents and voice notes as media to fetch', () => {
    expect(toInbound(fixture('photo'))).toEqual({
      type: 'inbound',
      inbound: {
        ...base,
        sentAt,
        messageId: 'u880005',
        kind: 'media',
        media: 'photo',
        size: 84512,
        caption: 'صورة الهوية',
      },
      fileId: 'AgACAgQAAxkBAAIBlarge',
    });
    expect(toInbound(fixture('document'))).toMatchObject({
      inbound: { kind: 'media', media: 'document', mime: 'application/pdf', fileName: 'تقرير طبي.pdf', size: 254112 },
      fileId: 'BQACAgQAAxkBAAIBdoc',
    });
    expect(toInbound(fixture('voice'))).toMatchObject({
      inbound: { kind: 'media', media: 'voice', mime: 'audio/ogg' },
      fileId: 'AwACAgQAAxkBAAIBvoice',
    });
  });

  it('should read contacts and locations', () => {
    expect(toInbound(fixture('contact'))).toMatchObject({ inbound: { kind: 'contact', phone: '966501234567' } });
    expect(toInbound(fixture('location'))).toMatchObject({
      inbound: { kind: 'location', latitude: 26.3592, longitude: 43.9818 },
    });
  });

  it('should mark stickers, videos and the like as unsupported, to be answered politely', () => {
    expect(toInbound(fixture('sticker'))).toMatchObject({ inbound: { kind: 'unsupported', what: 'sticker' } });
    expect(toInbound(fixture('video'))).toMatchObject({ inbound: { kind: 'unsupported', what: 'video' } });
  });

  it('should answer a group once: one notice per group, keyed on the group id', () => {
    expect(toInbound(fixture('group-message'))).toEqual({
      type: 'inbound',
      inbound: {
        channel: 'telegram',
        chatId: '-1001987654321',
        messageId: 'group:-1001987654321',
        kind: 'unsupported',
        what: 'group',
      },
    });
  });

  it('should ignore edits, channel posts and membership updates', () => {
    expect(toInbound(fixture('edited-message'))).toEqual({ type: 'ignore', reason: 'edited_message update' });
    expect(toInbound(fixture('channel-post'))).toEqual({ type: 'ignore', reason: 'channel_post update' });
    expect(toInbound(fixture('my-chat-member'))).toEqual({ type: 'ignore', reason: 'my_chat_member update' });
  });
});

describe('senderNameOf', () => {
  it('should keep a name without the characters that could flip or hide text, and drop an empty one', () => {
    expect(senderNameOf('\u202Eأبو محمد\u200F ')).toEqual({ senderName: 'أبو محمد' });
    expect(senderNameOf('\u202E\u2066')).toEqual({});
    expect(senderNameOf(undefined)).toEqual({});
    expect(senderNameOf('x'.repeat(500)).senderName).toHaveLength(100);
  });
});
