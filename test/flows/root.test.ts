import { describe, expect, it } from 'vitest';
import { offerStaffOptions } from '../../flows/dialog/dialogMachine.ts';
import ar from '../../locales/ar/root.json' with { type: 'json' };
import { locales } from '../../src/i18n.ts';
import { atMenu, harness } from './flowHarness.ts';

/** The main menu's items, in the order the Arabic text lists them (after its prompt). */
const menuItems = Object.keys(ar.menu).filter((k) => k !== 'prompt');

describe('rootMachine', () => {
  it('should greet a first message in Arabic in Arabic and go straight on to the privacy notice', () => {
    const h = harness();
    const out = h.writeRaw('السلام عليكم');
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'ar' });
    expect(out.filter((o) => o.type === 'reply').map((o) => o.key)).toEqual(['root:greeting', 'root:consent.brief']);
  });

  it('should go on in English after a first message in English', () => {
    const h = harness();
    const out = h.writeRaw('hello, is anyone there?');
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'en' });
    expect(out.filter((o) => o.type === 'reply').map((o) => o.key)).toEqual(['root:greeting', 'root:consent.brief']);
  });

  it('should ask for a language only when the first message cannot tell it, and take words in a language as its answer', () => {
    const h = harness();
    expect(h.write('👋')).toEqual(['root:greeting', 'root:language.prompt']);
    expect(h.write('٣')).toEqual(['root:language.prompt']);
    // The most common first message, sent after the question: Arabic.
    const out = h.writeRaw('السلام عليكم');
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'ar' });
    expect(out.filter((o) => o.type === 'reply').map((o) => o.key)).toEqual([
      'root:language.chosen',
      'root:consent.brief',
    ]);
  });

  it('should take up what the first message asked for once the privacy notice is answered', () => {
    const h = harness();
    h.write('ابي اقدم طلب كرسي متحرك لابوي');
    h.write('اوافق');
    expect(h.state()).toBe('aid');
  });

  it('should greet a first contact whatever they sent, and offer every language', () => {
    // A button for every language the assistant ships, each named in its own language.
    expect(harness().options({ type: 'global', word: 'menu' })).toEqual([...locales]);
    for (const lng of locales) expect(Object.keys(ar.language)).toContain(lng);
  });

  it('should switch to English through an effect and show the privacy notice', () => {
    const h = harness();
    h.write('👋');
    const out = h.sendRaw({ type: 'choice', id: 'en' });
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'en' });
    expect(out.filter((o) => o.type === 'reply').map((o) => o.key)).toEqual([
      'root:language.chosen',
      'root:consent.brief',
    ]);
  });

  it('should record consent and open the menu', () => {
    const h = harness();
    h.type('hi');
    h.choose('ar');
    const out = h.sendRaw({ type: 'choice', id: 'agree' });
    expect(out).toContainEqual({ type: 'effect', name: 'consent.record', decision: 'given', noticeVersion: 1 });
    expect(out.filter((o) => o.type === 'reply').map((o) => o.key)).toEqual(['root:consent.given', 'root:menu.prompt']);
  });

  it('should still serve enquiries to someone who declines consent', () => {
    const h = harness();
    h.type('hi');
    h.choose('ar');
    const out = h.sendRaw({ type: 'choice', id: 'decline' });
    expect(out).toContainEqual({ type: 'effect', name: 'consent.record', decision: 'declined', noticeVersion: 1 });
    expect(h.choose('enquiries')).toEqual(['enquiries:prompt']);
    expect(h.choose('documents')).toEqual(['enquiries:answer.documents', 'enquiries:more']);
  });

  it('should keep asking for consent until it is decided, and let "back" return to the language', () => {
    const h = harness();
    h.write('👋');
    h.choose('ar');
    expect(h.say('menu')).toEqual(['root:consent.brief']);
    expect(h.type('ماذا؟')).toEqual(['root:consent.again']);
    expect(h.say('back')).toEqual(['root:language.prompt']);
  });

  it('should show the privacy notice before the menu, even when "menu" is typed at the language step', () => {
    const h = harness();
    h.type('hi');
    expect(h.say('menu')).toEqual(['root:consent.brief']);
    expect(h.choose('agree')).toEqual(['root:consent.given', 'root:menu.prompt']);
  });

  it('should offer every service in the menu', () => {
    const h = harness();
    h.type('hi');
    h.choose('ar');
    expect(h.options({ type: 'choice', id: 'agree' })).toEqual(menuItems);
    expect(menuItems).toEqual(['enquiries', 'aid', 'followUp', 'complaint', 'staff', 'language']);
  });

  it('should serve every item of the menu in the chat: none says it is coming soon', () => {
    expect(Object.keys(ar)).not.toContain('comingSoon');
    for (const item of menuItems) {
      const h = atMenu();
      const out = h.sendRaw({ type: 'choice', id: item });
      // Each item starts its service: a flow asks the engine for something, or asks a question of its own.
      expect(out.length, item).toBeGreaterThan(0);
      expect(
        out.filter((o) => o.type === 'reply' && o.key === 'root:menu.prompt'),
        item,
      ).toEqual([]);
      expect(JSON.stringify(out), item).not.toMatch(/soon/i);
    }
  });

  it('should change the language from the menu', () => {
    const h = atMenu();
    expect(h.choose('language')).toEqual(['root:language.prompt']);
    expect(h.sendRaw({ type: 'choice', id: 'en' })).toContainEqual({
      type: 'effect',
      name: 'locale.set',
      locale: 'en',
    });
    expect(h.state()).toBe('menu');
  });

  it('should answer a question typed at the main menu straight away', () => {
    const h = atMenu();
    expect(h.type('كم يستغرق الطلب؟')).toEqual(['enquiries:answer.duration', 'enquiries:more']);
  });

  it('should keep words read as a service the person left at once, for managers to teach', () => {
    const h = atMenu();
    h.writeRaw('ابي اتابع');
    expect(h.sendRaw({ type: 'global', word: 'menu' })).toContainEqual({
      type: 'effect',
      name: 'understanding.missed',
      text: 'ابي اتابع',
      lang: 'ar',
      reason: 'changed',
    });
    // Once the flow's question is answered, leaving it says nothing of the words.
    h.writeRaw('ابي اتابع');
    h.writeRaw('ما عندي رقم');
    expect(h.sendRaw({ type: 'global', word: 'menu' }).some((o) => o.type === 'effect')).toBe(false);
  });

  it('should ask what was meant after a miss, then offer a person with the honest wait, never queueing silently', () => {
    const h = atMenu();
    const first = h.sendRaw({ type: 'text', text: 'بطاطس', normalized: 'بطاطس', likely: ['documents', 'aid'] });
    expect(first).toContainEqual({ type: 'effect', name: 'understanding.missed', text: 'بطاطس' });
    expect(first.at(-1)).toMatchObject({ key: 'root:clarify.prompt' });
    expect(h.offered()).toEqual(['documents', 'aid', 'staff']);
    const second = h.sendRaw({ type: 'text', text: 'طماطم', normalized: 'طماطم' });
    expect(second).toEqual([
      { type: 'effect', name: 'understanding.missed', text: 'طماطم' },
      { type: 'effect', name: 'staff.availability' },
    ]);
    const offer = h.sendRaw({ type: 'staff.availability', open: false, opensAt: 1, waiting: 3 });
    expect(offer).toEqual([
      { type: 'reply', key: 'root:offerStaff.closed', options: offerStaffOptions, params: { opensAt: 1, waiting: 3 } },
    ]);
    expect(h.sendRaw({ type: 'choice', id: 'staff' })).toContainEqual({
      type: 'effect',
      name: 'handoff.request',
      priority: 0,
      reason: 'asked',
    });
  });

  it('should take an option of the clarifying question to its service or answer', () => {
    const h = atMenu();
    h.sendRaw({ type: 'text', text: 'بطاطس', normalized: 'بطاطس', likely: ['documents', 'aid'] });
    expect(h.choose('documents')).toEqual(['enquiries:answer.documents', 'enquiries:more']);
    const g = atMenu();
    g.sendRaw({ type: 'text', text: 'بطاطس', normalized: 'بطاطس' });
    expect(g.offered()).toEqual(['enquiries', 'aid', 'followUp', 'complaint', 'staff']);
    g.choose('followUp');
    expect(g.state()).toBe('followUp');
  });

  it.each([
    ['السلام عليكم', 'greeting'],
    ['شكرا جزيلا', 'thanks'],
    ['انت روبوت؟', 'bot'],
  ])('should answer «%s» at the menu kindly and ask the menu again', (text, kind) => {
    const h = atMenu();
    expect(h.write(text)).toEqual([`root:smallTalk.${kind}`, 'root:menu.prompt']);
  });

  it('should switch to a language named in words at once', () => {
    const h = atMenu();
    const out = h.writeRaw('English please');
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'en' });
  });

  it('should understand the global words at every step', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('hours');
    // How to answer, then the question the person was at.
    expect(h.say('help')).toEqual(['common:help', 'enquiries:more']);
    expect(h.say('menu')).toEqual(['root:menu.prompt']);
    h.choose('enquiries');
    expect(h.say('cancel')).toEqual(['common:cancelled', 'root:menu.prompt']);
    h.choose('enquiries');
    expect(h.sendRaw({ type: 'global', word: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
    expect(h.say('language')).toEqual(['root:language.prompt']);
  });

  it('should answer media, locations and contacts politely where they are not expected', () => {
    const h = atMenu();
    expect(h.send({ type: 'media', kind: 'photo' })).toEqual(['common:mediaNotExpected']);
    expect(h.send({ type: 'location', latitude: 26.3, longitude: 43.9 })).toEqual(['common:mediaNotExpected']);
    expect(h.state()).toBe('menu');
  });
});

describe('rootMachine: the services of the menu', () => {
  it('should start an application, a follow-up and a complaint from the menu, never "coming soon"', () => {
    for (const [item, first] of [
      ['aid', 'catalogue.load'],
      ['followUp', 'profile.phone'],
      ['complaint', 'profile.phone'],
    ] as const) {
      const h = atMenu();
      const out = h.sendRaw({ type: 'choice', id: item });
      expect(out.filter((o) => o.type === 'reply')).toEqual([]);
      expect(out).toContainEqual({ type: 'effect', name: first });
      expect(h.state()).toBe(item);
    }
  });

  it.each([
    ['ممكن تساعدوني', 'aid'],
    ['أحتاج أجهزة لأمي', 'aid'],
    ['can I get a medical bed', 'aid'],
    ['وين وصل طلبي', 'followUp'],
    ['where is my request', 'followUp'],
  ])('should take "%s" typed at the menu to the %s service', (text, service) => {
    const h = atMenu();
    expect(h.read(text)).toMatchObject({ type: 'text', service });
    h.write(text);
    expect(h.state()).toBe(service);
  });

  it('should prefer a service asked for over an enquiry topic in the same words', () => {
    const h = atMenu();
    const text = 'ابي سرير طبي';
    // The words name a topic too (services): the service wins.
    expect(h.read(text)).toMatchObject({ type: 'text', service: 'aid' });
    h.write(text);
    expect(h.state()).toBe('aid');
  });

  it.each([
    ['apply', 'aid', 'aid'],
    ['documents', 'aid', 'aid'],
    ['duration', 'followUp', 'followUp'],
  ])('should offer the way there after the %s answer, which promises it in this chat', (topic, option, state) => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose(topic);
    expect(h.offered()).toContain(option);
    h.write(String(h.offered().indexOf(option) + 1));
    expect(h.state()).toBe(state);
  });

  it('should take a service asked for in words from the enquiries, too', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.write('ممكن تساعدوني');
    expect(h.state()).toBe('aid');
  });
});
