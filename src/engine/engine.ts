import { type AnyStateMachine, createActor } from 'xstate';
import { type FlowEvent, type FlowOutput, type Locale, type Reply, reply } from '../../flows/events.ts';
import { parseRatingOption } from '../../flows/rating/ratingOptions.ts';
import { findDraft } from '../db/cases.ts';
import type { Db } from '../db/client.ts';
import {
  type Conversation,
  findConversation,
  findConversationById,
  findOrCreateConversation,
  markActive,
  saveConversationState,
  saveSenderProfile,
} from '../db/conversations.ts';
import { countInboundSince, isInboundSeen, recordInbound } from '../db/inbound.ts';
import { recordMedia } from '../db/media.ts';
import { enqueueReply } from '../db/outbox.ts';
import { takeTimer } from '../db/timers.ts';
import { appendTranscript, lastOutbound, type MediaTranscriptPayload, type TranscriptFlag } from '../db/transcript.ts';
import type { OutboundMessage, ShownOption } from '../domain/messages.ts';
import type { Logger } from '../logger.ts';
import type { EngineInbox } from './channel.ts';
import type { EffectHandlers } from './effects.ts';
import { GroupCommit } from './groupCommit.ts';
import type { EngineInput, Inbound } from './inbound.ts';
import { interpret, type Reading } from './interpret.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { MediaRejectedError, type MediaRejection, type MediaStore, type StoredFile } from './mediaStore.ts';
import { recordLateRating } from './ratings.ts';
import { type Renderer, rightToLeft } from './renderer.ts';
import type { Understanding } from './understanding/understanding.ts';

/** The dialog the engine runs for every conversation, with the version its snapshots carry. */
export interface FlowDefinition {
  machine: AnyStateMachine;
  version: number;
}

/** What the engine is built from; `main.ts` wires the real parts, tests their own. */
export interface EngineOptions {
  db: Db;
  flow: FlowDefinition;
  renderer: Renderer;
  effects: EffectHandlers;
  logger: Logger;
  clock?: () => Date;
  /** Longer texts get a polite "please write less" and never reach the flow (they are kept). */
  maxTextLength?: number;
  /** More messages than `limit` in `windowMs` from one chat are kept but not answered, but once. */
  flood?: { limit: number; windowMs: number };
  /** Where files people send are kept; without it, files are answered but not stored. */
  media?: MediaStore;
  /** Called after a commit that queued replies on `channel`, to wake its outbox drainer. */
  onReplies?: (channel: string) => void;
  /** Reads free text (intents, emergencies); the phrases in `locales/` alone when not given. */
  understanding?: Understanding;
}

/** What a staff action does to a conversation, decided inside its turn. */
export interface StaffTurn {
  /** What the flow should hear (a staff member claimed, closed…). */
  event?: FlowEvent;
  /** A message from a staff member to the person, sent as written. */
  message?: string;
  /** What the assistant tells the person of it (a change to their request), in their language. */
  replies?: Reply[];
}

/** Thrown when a conversation's saved state cannot be brought back; the conversation restarts. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** Thrown when a flow misbehaves (fails, stops, or loops through effects). */
export class FlowError extends Error {
  override name = 'FlowError';
}

type Outcome = { status: 'accepted' | 'duplicate'; repliesOn?: string };

/** An input with the file it carried already fetched (or the reason it was not kept). */
type Prepared = EngineInput & { file?: StoredFile | MediaRejection };

const maxOutputsPerTurn = 200;

/**
 * The channel-agnostic runtime. For each input: drop it if seen, restore the conversation's actor
 * from its snapshot, send the event, perform the effects it emits, and commit dedupe row,
 * transcript, snapshot, outbox rows and effects in one transaction. No actor outlives its
 * message. Inputs of one chat are handled in arrival order, chats concurrently.
 */
export class Engine implements EngineInbox {
  private readonly queue = new KeyedQueue();
  private readonly commit: GroupCommit;
  private readonly clock: () => Date;
  private readonly maxTextLength: number;

  constructor(private readonly options: EngineOptions) {
    this.commit = new GroupCommit(options.db);
    this.clock = options.clock ?? (() => new Date());
    this.maxTextLength = options.maxTextLength ?? 2000;
  }

  handle(inbound: Inbound): Promise<'accepted' | 'duplicate'> {
    return this.process(inbound);
  }

  /** Delivers a due timer to its conversation, through the same ordered, deduplicated path. */
  fireTimer(timer: { id: number; key: string; channel: string; chatId: string }): Promise<'accepted' | 'duplicate'> {
    return this.process({
      kind: 'timer',
      channel: timer.channel,
      chatId: timer.chatId,
      messageId: `timer:${timer.id}`,
      timerId: timer.id,
      key: timer.key,
    });
  }

  lastReply(channel: string, chatId: string): OutboundMessage | undefined {
    const conversation = findConversation(this.options.db, channel, chatId);
    const last = conversation && lastOutbound(this.options.db, conversation.id);
    return last ? (last.payload as unknown as OutboundMessage) : undefined;
  }

  /**
   * Runs a staff action in a conversation's turn: in order with the person's messages, inside
   * one transaction with its effects. `work` changes rows (claim, close…) and returns what the
   * flow should hear and what the person should receive; replies leave through the outbox.
   */
  async act(conversationId: number, work: (tx: Db, conversation: Conversation) => StaffTurn): Promise<void> {
    const known = findConversationById(this.options.db, conversationId);
    if (!known) throw new Error(`Conversation ${conversationId} does not exist.`);
    const outcome = await this.queue.run(`${known.channel}\u0000${known.chatId}`, () =>
      this.commit.submit(
        (tx) => {
          const conversation = findConversationById(tx, conversationId) as Conversation;
          const turn = work(tx, conversation);
          if (turn.message !== undefined) {
            const locale = conversation.locale as Locale;
            const text = locale === 'ar' ? rightToLeft(turn.message) : turn.message;
            this.queueMessage(tx, conversation, { locale, text }, 'staff');
          }
          // What the person is told comes first; then the flow hears of it (and may ask something).
          if (turn.replies?.length) {
            const current = findConversationById(tx, conversationId) as Conversation;
            this.respond(tx, current, current.locale as Locale, turn.replies, { snapshot: current.snapshot });
          }
          if (turn.event) this.runFlow(tx, findConversationById(tx, conversationId) as Conversation, turn.event);
          return { status: 'accepted', repliesOn: conversation.channel } satisfies Outcome;
        },
        (_tx, error) => {
          throw error;
        },
      ),
    );
    if (outcome.repliesOn) this.options.onReplies?.(outcome.repliesOn);
  }

  /** Resolves when everything handed over so far is committed. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async process(input: EngineInput): Promise<'accepted' | 'duplicate'> {
    const outcome = await this.queue.run(`${input.channel}\u0000${input.chatId}`, async () => {
      const prepared = await this.prepare(input);
      return this.commit.submit(
        (tx) => this.turn(tx, prepared),
        (tx, error) => this.recover(tx, prepared, error),
      );
    });
    if (outcome.repliesOn) this.options.onReplies?.(outcome.repliesOn);
    return outcome.status;
  }

  /** Fetches and stores the file an input carries, outside the transaction (it is slow I/O). */
  private async prepare(input: EngineInput): Promise<Prepared> {
    const store = this.options.media;
    if (input.kind !== 'media' || !input.download || !store) return input;
    if (isInboundSeen(this.options.db, input.channel, input.messageId)) return input;
    try {
      return { ...input, file: await store.save(await input.download(store.maxBytes)) };
    } catch (error) {
      if (error instanceof MediaRejectedError) return { ...input, file: error.reason };
      this.options.logger.warn(
        { err: error, channel: input.channel, kind: input.media },
        'A file could not be fetched.',
      );
      return { ...input, file: 'unavailable' };
    }
  }

  /** One input, inside its savepoint. Throwing rolls it back and hands it to {@link recover}. */
  private turn(tx: Db, input: Prepared): Outcome {
    const { flow } = this.options;
    const conversation = findOrCreateConversation(tx, input.channel, input.chatId, flow.version);
    // Read before it is written down, so that its transcript row carries what staff must not miss.
    const reading = interpret(input, conversation.options, this.maxTextLength, this.options.understanding);
    const flag = flagOf(reading, conversation.options);
    const accepted = this.accept(tx, conversation, input, flag);
    if (!accepted) return { status: 'duplicate' };
    // An emergency always reaches the flow, flood or not: the person gets the emergency numbers.
    if (input.kind !== 'timer' && flag !== 'emergency') {
      const { limit, windowMs } = this.options.flood ?? { limit: 30, windowMs: 60_000 };
      const recent = countInboundSince(tx, conversation.id, new Date(this.clock().getTime() - windowMs));
      if (recent > limit) {
        // A flood: every message is kept, the flow is spared, and the user is asked once to slow down.
        const replies = recent === limit + 1 ? [reply('common:slowDown')] : [];
        return this.respond(tx, conversation, conversation.locale as Locale, replies, {
          snapshot: conversation.snapshot,
        });
      }
    }

    if ('lateRating' in reading) {
      // Kept by the engine: the flow has moved on, and what it asks now is not interrupted.
      const said = recordLateRating(tx, conversation, reading.lateRating, this.clock()) ?? 'common:staleOption';
      return this.respond(tx, conversation, conversation.locale as Locale, [reply(said)], {
        snapshot: conversation.snapshot,
      });
    }
    const file = input.file;
    if ('edgeReply' in reading || typeof file === 'string') {
      const edge = 'edgeReply' in reading ? reply(reading.edgeReply) : this.fileRejected(file as MediaRejection);
      return this.respond(tx, conversation, conversation.locale as Locale, [edge], { snapshot: conversation.snapshot });
    }
    const event = reading.event;
    if (event.type === 'media' && accepted.mediaId !== undefined) event.mediaId = accepted.mediaId;
    return this.runFlow(tx, conversation, event);
  }

  private fileRejected(reason: MediaRejection): Reply {
    const maxMb = Math.floor((this.options.media?.maxBytes ?? 0) / 1_000_000);
    return reply(`common:file.${reason}`, undefined, { maxMb });
  }

  /**
   * Records the input as seen, with its transcript row and, for a kept file, its `media` row.
   * Undefined if it was seen before. Every turn (and every recovery) starts here, so whatever a
   * person sends is recorded even when a flood, the edge or a failing flow leaves it unanswered.
   */
  private accept(
    tx: Db,
    conversation: Conversation,
    input: Prepared,
    flag: TranscriptFlag | undefined,
  ): { mediaId?: number } | undefined {
    if (input.kind === 'timer') {
      const taken =
        takeTimer(tx, input.timerId) &&
        recordInbound(tx, input.channel, input.messageId, conversation.id, this.clock());
      return taken ? {} : undefined;
    }
    if (!recordInbound(tx, input.channel, input.messageId, conversation.id, this.clock())) return undefined;
    if (conversation.status === 'unreachable') markActive(tx, conversation.id);
    const sender = {
      ...(input.senderPhone && input.senderPhone !== conversation.platformPhone
        ? { platformPhone: input.senderPhone }
        : {}),
      ...(input.senderName && input.senderName !== conversation.profileName ? { profileName: input.senderName } : {}),
    };
    if (sender.platformPhone || sender.profileName) {
      saveSenderProfile(tx, conversation.id, sender);
      Object.assign(conversation, sender);
    }
    const mediaId =
      input.kind === 'media' && typeof input.file === 'object'
        ? recordMedia(tx, {
            conversationId: conversation.id,
            kind: input.media,
            fileName: input.fileName ?? null,
            ...input.file,
          })
        : undefined;
    appendTranscript(tx, {
      conversationId: conversation.id,
      createdAt: this.clock(),
      direction: 'in',
      author: 'user',
      kind: input.kind,
      text: input.kind === 'text' ? input.text : input.kind === 'media' ? (input.caption ?? null) : null,
      payload: transcriptPayload(input, mediaId, flag),
      messageId: input.messageId,
    });
    return mediaId === undefined ? {} : { mediaId };
  }

  private runFlow(tx: Db, conversation: Conversation, event: FlowEvent): Outcome {
    const { flow, effects } = this.options;
    let locale = conversation.locale as Locale;
    const stale = conversation.snapshot != null && conversation.flowVersion !== flow.version;
    const outputs: FlowOutput[] = [];
    let failure: unknown;

    const actor = createActor(
      flow.machine,
      conversation.snapshot != null && !stale ? { snapshot: conversation.snapshot as never } : { input: { locale } },
    );
    actor.on('*', (output) => outputs.push(output as FlowOutput));
    actor.subscribe({ error: (error) => (failure ??= error) });
    try {
      actor.start();
    } catch (error) {
      throw new RestoreError(`Conversation ${conversation.id} could not be restored.`, { cause: error });
    }
    if (failure || actor.getSnapshot().status !== 'active') {
      throw new RestoreError(`Conversation ${conversation.id} could not be restored.`, { cause: failure });
    }

    actor.send(event);
    // An application in progress is kept as a draft row: the person is told it waits for them.
    const replies: Reply[] = stale
      ? [reply(findDraft(tx, conversation.id) ? 'common:restartedDraft' : 'common:restarted')]
      : [];
    const context = {
      tx,
      conversation,
      now: this.clock(),
      setLocale: (l: Locale) => {
        locale = l;
      },
    };
    for (let i = 0; i < outputs.length && failure === undefined; i++) {
      if (i >= maxOutputsPerTurn)
        throw new FlowError(`Conversation ${conversation.id}: a flow emitted too much in one turn.`);
      const output = outputs[i] as FlowOutput;
      if (output.type === 'reply') {
        replies.push(output);
        continue;
      }
      const { type: _t, ...request } = output;
      const handler = effects[request.name] as (r: typeof request, c: typeof context) => FlowEvent | undefined;
      const result = handler(request, context);
      if (result) actor.send(result);
    }
    if (failure !== undefined) throw failure;
    if (actor.getSnapshot().status !== 'active') {
      throw new FlowError(`Conversation ${conversation.id}: the flow stopped (${actor.getSnapshot().status}).`);
    }
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();
    return this.respond(tx, conversation, locale, replies, { snapshot });
  }

  /** Queues this turn's replies, writes them to the transcript and saves the conversation. */
  private respond(
    tx: Db,
    conversation: Conversation,
    locale: Locale,
    replies: Reply[],
    state: { snapshot: unknown },
  ): Outcome {
    let options = conversation.options;
    if (replies.length > 0) {
      const { message, shown } = this.options.renderer.render(replies, locale);
      this.queueMessage(tx, conversation, message, 'bot');
      options = shown ?? options;
    }
    saveConversationState(tx, conversation.id, {
      locale,
      flowVersion: this.options.flow.version,
      snapshot: state.snapshot,
      options,
    });
    return { status: 'accepted', ...(replies.length > 0 ? { repliesOn: conversation.channel } : {}) };
  }

  /** Queues a message for delivery and writes it to the transcript, as said by `author`. */
  private queueMessage(tx: Db, conversation: Conversation, message: OutboundMessage, author: 'bot' | 'staff'): void {
    const now = this.clock();
    const { id: conversationId, channel, chatId } = conversation;
    enqueueReply(tx, { conversationId, channel, chatId, payload: message }, now);
    appendTranscript(tx, {
      conversationId,
      createdAt: now,
      direction: 'out',
      author,
      kind: 'message',
      text: message.text,
      payload: message as unknown as Record<string, unknown>,
    });
  }

  /**
   * After a failed turn: keep the message, apologise in the user's language, and leave the
   * conversation where it was, or, if its state could not be restored, let it start again.
   */
  private recover(tx: Db, input: Prepared, error: unknown): Outcome {
    const conversation = findOrCreateConversation(tx, input.channel, input.chatId, this.options.flow.version);
    this.options.logger.error(
      { err: error, conversationId: conversation.id, kind: input.kind },
      'Handling a message failed; the user got an apology.',
    );
    let flag: TranscriptFlag | undefined;
    try {
      const reading = interpret(input, conversation.options, this.maxTextLength, this.options.understanding);
      flag = flagOf(reading, conversation.options);
    } catch {
      // The reading itself may be what failed; then the row goes without its flag.
    }
    if (!this.accept(tx, conversation, input, flag)) return { status: 'duplicate' };
    const restart = error instanceof RestoreError;
    return this.respond(tx, conversation, conversation.locale as Locale, [reply('common:apology')], {
      snapshot: restart ? null : conversation.snapshot,
    });
  }
}

/**
 * The mark an input's transcript row gets from its reading at the edge and the options it
 * answered: an emergency; or an answer to a rating question — a rating option chosen (now or
 * late), or what is written while the comment's "no, thank you" is on offer.
 */
function flagOf(reading: Reading, shown: ShownOption[]): TranscriptFlag | undefined {
  if ('lateRating' in reading) return 'rating';
  if (!('event' in reading)) return undefined;
  const { event } = reading;
  if (event.type === 'global' && event.word === 'emergency') return 'emergency';
  if (event.type === 'choice' && parseRatingOption(event.id)) return 'rating';
  if (event.type === 'text' && shown.some((o) => parseRatingOption(o.id)?.answer === 'none')) return 'rating';
  return undefined;
}

/** What an inbound transcript row keeps beside its text; for a file, a {@link MediaTranscriptPayload}. */
function transcriptPayload(
  input: Exclude<Prepared, { kind: 'timer' }>,
  mediaId: number | undefined,
  flag: TranscriptFlag | undefined,
): Record<string, unknown> | null {
  const flagged = flag ? { flag } : {};
  switch (input.kind) {
    case 'text':
      return flag ? { flag } : null;
    case 'media': {
      const file = input.file;
      const mime = typeof file === 'object' ? file.mime : input.mime;
      const size = typeof file === 'object' ? file.size : input.size;
      const payload: MediaTranscriptPayload = {
        media: input.media,
        ...(mediaId !== undefined ? { mediaId } : {}),
        ...(input.fileName !== undefined ? { fileName: input.fileName } : {}),
        ...(mime !== undefined ? { mime } : {}),
        ...(size !== undefined ? { size } : {}),
        ...(typeof file === 'string' ? { rejected: file } : {}),
      };
      return { ...payload, ...flagged };
    }
    default: {
      const { channel: _c, chatId: _i, messageId: _m, kind: _k, senderPhone: _p, senderName: _n, ...rest } = input;
      return { ...rest, ...flagged };
    }
  }
}
