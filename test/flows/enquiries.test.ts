import { describe, expect, it } from 'vitest';
import { topics as topicIds } from '../../flows/events.ts';
import ar from '../../locales/ar/enquiries.json' with { type: 'json' };
import intents from '../../locales/ar/intents.json' with { type: 'json' };
import { atMenu } from './flowHarness.ts';

/** The topics, in the order the Arabic texts list them. */
const topics = Object.keys(ar.topic);

describe('enquiriesMachine', () => {
  it('should list every topic that has a text, then staff and the main menu', () => {
    const h = atMenu();
    expect(h.options({ type: 'choice', id: 'enquiries' })).toEqual([...topics, 'staff', 'menu']);
    expect(topics.length).toBeGreaterThan(0);
  });

  it('should have an answer and the phrases that recognise it for every topic', () => {
    expect(Object.keys(ar.answer)).toEqual(topics);
    for (const topic of topics) expect(intents[topic as keyof typeof intents].length).toBeGreaterThanOrEqual(25);
    expect(topicIds).toEqual(topics);
  });

  it('should offer the documents after the steps of applying, one tap away', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('apply');
    expect(h.offered()).toContain('documents');
    expect(h.choose('documents')).toEqual(['enquiries:answer.documents', 'enquiries:more']);
  });

  it.each(topics)('should answer the %s topic when it is chosen', (topic) => {
    const h = atMenu();
    h.choose('enquiries');
    expect(h.choose(topic)).toEqual([`enquiries:answer.${topic}`, 'enquiries:more']);
  });

  it.each([
    ['وش الأوراق المطلوبة', 'documents'],
    ['كم يستغرق الطلب؟', 'duration'],
    ['documents', 'documents'],
    ['وين مكانكم', 'hours'],
  ])('should answer "%s" typed in the topic list with the %s topic', (text, topic) => {
    const h = atMenu();
    h.choose('enquiries');
    expect(h.type(text)).toEqual([`enquiries:answer.${topic}`, 'enquiries:more']);
  });

  it('should go from an answer to another topic, back to the list, and back to the menu', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('about');
    expect(h.choose('rights')).toEqual(['enquiries:answer.rights', 'enquiries:more']);
    expect(h.type('متى تفتحون')).toEqual(['enquiries:answer.hours', 'enquiries:more']);
    expect(h.choose('another')).toEqual(['enquiries:prompt']);
    h.choose('about');
    expect(h.say('back')).toEqual(['enquiries:prompt']);
    expect(h.say('back')).toEqual(['root:menu.prompt']);
    h.choose('enquiries');
    h.choose('about');
    expect(h.choose('menu')).toEqual(['root:menu.prompt']);
  });

  it('should hand a message it did not understand to the clarifying question, then offer a person', () => {
    const h = atMenu();
    h.choose('enquiries');
    const first = h.sendRaw({ type: 'text', text: 'زززز', normalized: 'زززز', likely: ['hours'] });
    expect(first).toContainEqual({ type: 'effect', name: 'understanding.missed', text: 'زززز' });
    expect(first.at(-1)).toMatchObject({ type: 'reply', key: 'root:clarify.prompt' });
    expect(h.offered()).toEqual(['hours', 'staff']);
    expect(h.choose('hours')).toEqual(['enquiries:answer.hours', 'enquiries:more']);
    h.sendRaw({ type: 'text', text: 'ققق', normalized: 'ققق' });
    expect(h.state()).toBe('clarify');
    expect(h.sendRaw({ type: 'text', text: 'ففف', normalized: 'ففف' })).toContainEqual({
      type: 'effect',
      name: 'staff.availability',
    });
  });

  it('should put the person through to staff from the topic list', () => {
    const h = atMenu();
    h.choose('enquiries');
    expect(h.sendRaw({ type: 'choice', id: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
  });
});

describe('enquiriesMachine: services asked for in words', () => {
  it('should answer a question that names a service, and leave for a service asked for alone', () => {
    const h = atMenu();
    h.choose('enquiries');
    // A question about documents, though it says «I need»: no service is read in it.
    expect(h.read('what documents do I need?')).toMatchObject({ topic: 'documents' });
    expect(h.read('what documents do I need?')).not.toHaveProperty('service');
    expect(h.write('what documents do I need?')).toEqual(['enquiries:answer.documents', 'enquiries:more']);
    h.write('ممكن تساعدوني');
    expect(h.state()).toBe('aid');
  });
});
