import { expect } from 'vitest';
import { type AnyStateMachine, createActor } from 'xstate';
import type { FlowEvent, FlowOutput, GlobalWord, Locale, Reply } from '../../flows/events.ts';
import { rootMachine } from '../../flows/root/rootMachine.ts';
import { loadConfig } from '../../src/config.ts';
import { Renderer } from '../../src/engine/renderer.ts';
import { createI18n, locales } from '../../src/i18n.ts';
import { freeText, interpret } from '../../src/understanding/interpret.ts';

const i18n = createI18n();
const config = loadConfig({});
const renderer = new Renderer(i18n, config.org, config.decisionDays);
type Shown = NonNullable<ReturnType<Renderer['render']>['shown']>;

/** Fails the test when a flow says something, or offers an option, with no text in a language. */
function expectTextsExist(replies: Reply[]): void {
  for (const r of replies) {
    for (const key of [r.key, ...(r.options ?? []).map((o) => o.key)]) {
      for (const lng of locales) expect(i18n.exists(key, { lng, ...r.params }), `${key} (${lng})`).toBe(true);
    }
  }
}

/**
 * Drives a flow the way the engine does (restore from a JSON snapshot for every event), with no
 * database: `send` returns what the flow emitted for that event. It also keeps the options on
 * offer as the engine does, so `write` reads typed text at the edge exactly like a real message
 * (a number, a label, a global word, words of emergency).
 */
export function harness(machine: AnyStateMachine = rootMachine) {
  let snapshot: unknown;
  let shown: Shown = [];
  const run = (event?: FlowEvent): FlowOutput[] => {
    const outputs: FlowOutput[] = [];
    const actor = createActor(machine, snapshot ? { snapshot: snapshot as never } : { input: {} });
    actor.on('*', (o) => outputs.push(o as FlowOutput));
    actor.start();
    if (event) actor.send(event);
    snapshot = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    const replies = outputs.filter((o) => o.type === 'reply');
    expectTextsExist(replies);
    if (replies.length > 0) shown = renderer.render(replies, 'ar').shown ?? shown;
    return outputs;
  };
  const keys = (outputs: FlowOutput[]) => outputs.filter((o) => o.type === 'reply').map((o) => o.key);
  /** What the engine makes of a typed message with the options now on offer. */
  const read = (text: string) =>
    interpret({ channel: 'test', chatId: '1', messageId: '1', kind: 'text', text }, shown, 2000);
  return {
    /** Sends an event; returns the reply keys. */
    send: (event: FlowEvent) => keys(run(event)),
    /** Sends an event; returns everything emitted (replies and effects). */
    sendRaw: (event: FlowEvent) => run(event),
    choose: (id: string) => keys(run({ type: 'choice', id })),
    /** Sends free text as such, whatever options are on offer. */
    type: (text: string) => keys(run(freeText(text))),
    say: (word: GlobalWord) => keys(run({ type: 'global', word })),
    /** Types a message as a person would: read at the edge first, then given to the flow. */
    write: (text: string) => {
      const reading = read(text);
      return 'edgeReply' in reading ? [reading.edgeReply] : keys(run(reading.event));
    },
    /** The event a typed message becomes at the edge, given the options now on offer. */
    read: (text: string) => {
      const reading = read(text);
      return 'edgeReply' in reading ? undefined : reading.event;
    },
    /** The ids of the options now on offer, as the engine keeps them. */
    offered: () => shown.map((o) => o.id),
    /** The options offered by the last reply that offered any. */
    options: (event: FlowEvent) =>
      run(event)
        .filter((o) => o.type === 'reply')
        .findLast((o) => o.options)
        ?.options?.map((o) => o.id),
    /** The text a person reads for what a flow said, in `locale` (the organisation's profile filled in). */
    text: (outputs: FlowOutput[], locale: Locale = 'ar') =>
      renderer.render(
        outputs.filter((o) => o.type === 'reply'),
        locale,
      ).message.text,
    /** Types a message as a person would; returns everything emitted (replies and effects). */
    writeRaw: (text: string): FlowOutput[] => {
      const reading = read(text);
      return 'edgeReply' in reading ? [{ type: 'reply', key: reading.edgeReply }] : run(reading.event);
    },
    /** The state of the dialog's child flow `id` (the aid application, the follow-up…), if it runs. */
    child: (id: string) => {
      type Node = { value?: unknown; children?: Record<string, { snapshot: Node }> };
      const root = snapshot as Node;
      return root.children?.dialog?.snapshot.children?.[id]?.snapshot.value;
    },
    /** The root's state, or the dialog's while the bot has the conversation. */
    state: () => {
      const root = snapshot as { value: unknown; children: { dialog?: { snapshot: { value: unknown } } } };
      return root.value === 'bot' ? root.children.dialog?.snapshot.value : root.value;
    },
  };
}

/** A flow under test, as {@link harness} returns it. */
export type Harness = ReturnType<typeof harness>;

/** A root flow already past greeting, language (Arabic) and consent, at the main menu. */
export function atMenu() {
  const h = harness();
  h.write('السلام عليكم');
  h.choose('agree');
  return h;
}
