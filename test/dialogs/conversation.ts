import { randomUUID } from 'node:crypto';
import type { Reply } from '../../flows/events.ts';
import { casesOfConversation, findDraft, listAidTypes } from '../../src/db/cases.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { ticketsOfConversation } from '../../src/db/tickets.ts';
import { Renderer } from '../../src/engine/renderer.ts';
import { createI18n } from '../../src/i18n.ts';
import { config, setup, tempDir } from '../helpers.ts';

/**
 * A turn of a script that is not a message: the assistant is stopped there and started again on
 * the same database (a deployment, a crash), and the person then writes on as if nothing happened.
 */
export const RESTART = '⟲restart';

/** What the assistant said, turn by turn: the keys its renderer was asked for, the text it wrote, the options it offered. */
class RecordingRenderer extends Renderer {
  turn: string[] = [];
  written = '';
  options: string[] = [];
  override render(...args: Parameters<Renderer['render']>): ReturnType<Renderer['render']> {
    this.turn.push(...args[0].map((r: Reply) => r.key));
    const rendered = super.render(...args);
    this.written += `${this.written ? '\n\n' : ''}${rendered.message.text}`;
    this.options = rendered.message.options?.map((o) => o.label) ?? this.options;
    return rendered;
  }
}

/**
 * One person's conversation with the whole assistant (the engine, the edge's reading, every flow
 * and desk, on a real SQLite file), typed message by message: what was said back to each, and what
 * was kept (the application's draft, the complaints filed). `RESTART` as a message stops the
 * engine and opens a new one on the same file.
 */
export function conversation(now: Date) {
  const renderer = new RecordingRenderer(createI18n(), config.org, config.decisionDays);
  const temp = tempDir();
  const open = () => setup({ renderer, clock: () => now, dir: temp.dir });
  let s = open();
  const chatId = randomUUID();
  const turns: { said: string; keys: string[]; text: string; options: string[] }[] = [];
  return {
    /** Sends one message (or restarts the assistant, on `RESTART`); returns the keys of the replies to it. */
    async write(text: string): Promise<string[]> {
      renderer.turn = [];
      renderer.written = '';
      renderer.options = [];
      if (text === RESTART) {
        await s.engine.idle();
        s.engine.close();
        s.close();
        s = open();
      } else {
        await s.engine.handle(s.text(chatId, text));
      }
      turns.push({ said: text, keys: renderer.turn, text: renderer.written, options: renderer.options });
      return renderer.turn;
    },
    turns,
    /**
     * The application's answers: its draft as kept between messages, or, once it was sent (the
     * draft is then gone), what the request the chat sent last holds, under the draft's names.
     */
    draft() {
      const c = findConversation(s.db, 'test', chatId);
      if (!c) return undefined;
      // The kind of aid by its code (`devices`), as a person's expectation names it.
      const aidType = (id: unknown) => listAidTypes(s.db, true).find((a) => String(a.id) === String(id))?.code;
      const row = findDraft(s.db, c.id);
      if (row) {
        const answers = row.answers as Record<string, unknown>;
        return answers.aidTypeId ? { ...answers, aidType: aidType(answers.aidTypeId) } : answers;
      }
      const [sent] = casesOfConversation(s.db, c.id);
      if (!sent) return undefined;
      return {
        name: sent.applicantName,
        forFamily: sent.patientName !== null,
        ...(sent.patientName === null ? {} : { patientName: sent.patientName, relationship: sent.relationship }),
        nationalId: sent.nationalId,
        phone: sent.phone,
        city: sent.city,
        householdSize: sent.householdSize,
        income: sent.income,
        aidType: aidType(sent.aidTypeId),
        description: sent.description,
      };
    },
    /** The complaints, suggestions and thanks this chat filed. */
    tickets() {
      const c = findConversation(s.db, 'test', chatId);
      return c ? ticketsOfConversation(s.db, c.id) : [];
    },
    close() {
      s.close();
      temp.remove();
    },
  };
}
