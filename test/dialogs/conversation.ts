import { randomUUID } from 'node:crypto';
import type { Reply } from '../../flows/events.ts';
import { findDraft } from '../../src/db/cases.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { ticketsOfConversation } from '../../src/db/tickets.ts';
import { Renderer } from '../../src/engine/renderer.ts';
import { createI18n } from '../../src/i18n.ts';
import { config, setup } from '../helpers.ts';

/** What the assistant said, turn by turn: the keys its renderer was asked for, and the text it wrote. */
class RecordingRenderer extends Renderer {
  turn: string[] = [];
  written = '';
  override render(...args: Parameters<Renderer['render']>): ReturnType<Renderer['render']> {
    this.turn.push(...args[0].map((r: Reply) => r.key));
    const rendered = super.render(...args);
    this.written += `${this.written ? '\n\n' : ''}${rendered.message.text}`;
    return rendered;
  }
}

/**
 * One person's conversation with the whole assistant (the engine, the edge's reading, every flow
 * and desk, on a real SQLite file), typed message by message: what was said back to each, and what
 * was kept (the application's draft, the complaints filed).
 */
export function conversation(now: Date) {
  const renderer = new RecordingRenderer(createI18n(), config.org, config.decisionDays);
  const s = setup({ renderer, clock: () => now });
  const chatId = randomUUID();
  const turns: { said: string; keys: string[]; text: string }[] = [];
  return {
    /** Sends one message; returns the keys of the replies to it. */
    async write(text: string): Promise<string[]> {
      renderer.turn = [];
      renderer.written = '';
      await s.engine.handle(s.text(chatId, text));
      turns.push({ said: text, keys: renderer.turn, text: renderer.written });
      return renderer.turn;
    },
    turns,
    /** The application's draft as kept between messages. */
    draft() {
      const c = findConversation(s.db, 'test', chatId);
      const row = c && findDraft(s.db, c.id);
      return row?.answers as Record<string, unknown> | undefined;
    },
    /** The complaints, suggestions and thanks this chat filed. */
    tickets() {
      const c = findConversation(s.db, 'test', chatId);
      return c ? ticketsOfConversation(s.db, c.id) : [];
    },
    close: () => s.close(),
  };
}
