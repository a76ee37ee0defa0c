import { type AnyStateMachine, createActor } from 'xstate';
import { type FlowEvent, type FlowOutput, type Locale, type Reply, reply } from '../../flows/events.ts';
import { parseRatingOption } from '../../flows/rating/ratingOptions.ts';
import { findDraft } from '../db/cases.ts';
import type { Checkpointer } from '../db/checkpointer.ts';
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
import { isInboundSeen, recordInbound } from '../db/inbound.ts';
import { recordMedia } from '../db/media.ts';
import { enqueueReply } from '../db/outbox.ts';
import { takeTimer } from '../db/timers.ts';
import { appendTranscript, lastOutbound, type MediaTranscriptPayload, type TranscriptFlag } from '../db/transcript.ts';
import type { EngineInput, Inbound } from '../domain/inbound.ts';
import type { OutboundMessage, ShownOption } from '../domain/messages.ts';
import { locales } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { interpret, type Reading } from '../understanding/interpret.ts';
import type { Understanding } from '../understanding/understanding.ts';
import { ActorCache, type ActorCacheOptions, type LiveActor } from './actorCache.ts';
import type { EngineInbox } from './channel.ts';
import type { EffectHandlers } from './effects.ts';
import { GroupCommit } from './groupCommit.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { MediaRejectedError, type MediaRejection, type MediaStore, type StoredFile } from './mediaStore.ts';
import { type Renderer, rightToLeft } from './renderer.ts';
import type { Spool } from './spool.ts';

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
  /**
   * More messages than `limit` sent by one chat within a window of `windowMs` (from the first
   * message after the last window) are kept but not answered, but once. Measured by when the
   * platform says they were sent (`sentAt`), so a backlog delivered at once after downtime is
   * answered. Channels in `exempt` (the local terminal) have no limit.
   */
  flood?: { limit: number; windowMs: number; exempt?: string[] };
  /**
   * How many inputs the engine holds in memory at most (handed over, not yet committed); above
   * it {@link Engine.room} waits and the `spooled` channels' input goes to disk. Default 1000.
   */
  maxPending?: number;
  /**
   * Where the input of `channels` — platforms that never deliver a message twice (WhatsApp) — is
   * kept while the engine is full, or when committing it failed; replayed as room comes, and at
   * start. Without it, such input waits in memory and a failed commit is the channel's to bear.
   */
  spooled?: { spool: Spool; channels: string[] };
  /** The wait before a spool file whose messages could not all be committed is tried again. */
  spoolRetryMs?: [number, number];
  /** Where files people send are kept; without it, files are answered but not stored. */
  media?: MediaStore;
  /** Called after a commit that queued replies on `channel`, to wake its outbox drainer. */
  onReplies?: (channel: string) => void;
  /** Reads free text (intents, emergencies); the phrases in `locales/` alone when not given. */
  understanding?: Understanding;
  /** The actors kept between a conversation's messages; 2,000 for a minute by default, `limit: 0` for none. */
  keptActors?: ActorCacheOptions;
  /** While it returns a promise, commits wait for it: the checkpointer's {@link Checkpointer.pause}. */
  commitPause?: () => Promise<void> | undefined;
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

type Outcome = {
  status: 'accepted' | 'duplicate';
  repliesOn?: string;
  /** The conversation's actor, to keep once the turn is committed. */
  kept?: { conversationId: number; live: LiveActor };
};

/** An input with the file it carried already fetched (or the reason it was not kept). */
type Prepared = EngineInput & { file?: StoredFile | MediaRejection };

const maxOutputsPerTurn = 200;
/** Tries of a spool file whose messages fail before those failing are set aside. */
const spoolAttempts = 8;

/**
 * The channel-agnostic runtime. For each input: drop it if seen, restore the conversation's actor
 * from its snapshot, send the event, perform the effects it emits, and commit dedupe row,
 * transcript, snapshot, outbox rows and effects in one transaction. No actor outlives its
 * message. Inputs of one chat are handled in arrival order, chats concurrently.
 */
export class Engine implements EngineInbox {
  private readonly queue = new KeyedQueue();
  private readonly commit: GroupCommit;
  private readonly actors: ActorCache;
  private readonly clock: () => Date;
  private readonly maxTextLength: number;
  private readonly maxPending: number;
  private readonly spoolChannels: Set<string>;
  private readonly floodExempt: Set<string>;
  /** Inputs handed over and not yet committed: what the engine holds in memory. */
  private pending = 0;
  private mostPending = 0;
  private readonly roomWaiters: (() => void)[] = [];
  private draining: Promise<void> | undefined;
  private drainFailures = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.commit = new GroupCommit(options.db, options.commitPause ? { pause: options.commitPause } : {});
    this.actors = new ActorCache(options.keptActors ?? { limit: 2000, idleMs: 60_000 });
    this.clock = options.clock ?? (() => new Date());
    this.maxTextLength = options.maxTextLength ?? 2000;
    this.maxPending = options.maxPending ?? 1000;
    this.spoolChannels = new Set(options.spooled?.channels ?? []);
    this.floodExempt = new Set(options.flood?.exempt ?? []);
    // What a crash left in the spool is handled first.
    if (options.spooled && options.spooled.spool.size > 0) setImmediate(() => this.drainSpool());
  }

  handle(inbound: Inbound): Promise<'accepted' | 'duplicate'> {
    const spool = this.options.spooled?.spool;
    // Behind what waits on disk, or over the bound: to disk too, in order.
    if (spool && this.spoolChannels.has(inbound.channel) && (this.pending >= this.maxPending || spool.size > 0)) {
      return this.toSpool(inbound);
    }
    return this.process(inbound);
  }

  /**
   * Resolves when the engine can take more input (it holds fewer than `maxPending`): a channel
   * that can leave messages with the platform (Telegram) waits on it before fetching more.
   */
  room(): Promise<void> {
    if (this.pending < this.maxPending) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** What the engine holds now and held at most, and how much waits in the spool; for health and tests. */
  load(): { pending: number; mostPending: number; spooled: number } {
    return { pending: this.pending, mostPending: this.mostPending, spooled: this.options.spooled?.spool.size ?? 0 };
  }

  /** Stops replaying the spool (what is left stays on disk for the next start). */
  close(): void {
    this.closed = true;
    clearTimeout(this.drainTimer);
    this.actors.clear();
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
    const outcome = await this.queue.run(`${known.channel}\u0000${known.chatId}`, async () =>
      this.keepActor(
        await this.commit.submit(
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
            const flowed = turn.event
              ? this.runFlow(tx, findConversationById(tx, conversationId) as Conversation, turn.event)
              : undefined;
            return { status: 'accepted', repliesOn: conversation.channel, kept: flowed?.kept } satisfies Outcome;
          },
          (_tx, error) => {
            throw error;
          },
        ),
      ),
    );
    if (outcome.repliesOn) this.options.onReplies?.(outcome.repliesOn);
  }

  /** Keeps the actor of a committed turn for its conversation's next message. */
  private keepActor(outcome: Outcome): Outcome {
    if (outcome.kept) this.actors.put(outcome.kept.conversationId, outcome.kept.live);
    return outcome;
  }

  /** Resolves when everything handed over so far is committed (what the spool holds included). */
  async idle(): Promise<void> {
    await this.queue.idle();
    while (this.draining) {
      await this.draining;
      await this.queue.idle();
    }
  }

  private async process(input: Prepared, fromSpool = false): Promise<'accepted' | 'duplicate'> {
    this.pending++;
    this.mostPending = Math.max(this.mostPending, this.pending);
    let prepared: Prepared = input;
    try {
      const outcome = await this.queue.run(`${input.channel}\u0000${input.chatId}`, async () => {
        prepared = await this.prepare(input);
        return this.keepActor(
          await this.commit.submit(
            (tx) => this.turn(tx, prepared),
            (tx, error) => this.recover(tx, prepared, error),
          ),
        );
      });
      if (outcome.repliesOn) this.options.onReplies?.(outcome.repliesOn);
      return outcome.status;
    } catch (error) {
      // A platform that will not deliver it again: kept on disk, replayed later, never dropped.
      const spool = this.options.spooled?.spool;
      if (fromSpool || !spool || !this.spoolChannels.has(input.channel)) throw error;
      this.options.logger.error(
        { err: error, channel: input.channel },
        'A message could not be committed; it is kept in the spool.',
      );
      await spool.append(spoolable(prepared));
      this.scheduleDrain();
      return 'accepted';
    } finally {
      this.pending--;
      this.makeRoom();
    }
  }

  private makeRoom(): void {
    while (this.pending < this.maxPending && this.roomWaiters.length > 0) this.roomWaiters.shift()?.();
    if (this.pending <= this.maxPending / 2 && !this.draining && !this.drainTimer) this.drainSpool();
  }

  /** Keeps an input on disk; a file it carries is fetched and stored first (its fetcher cannot be kept). */
  private async toSpool(input: Inbound): Promise<'accepted' | 'duplicate'> {
    const spool = this.options.spooled?.spool as Spool;
    const prepared = await this.prepare(input);
    await spool.append(spoolable(prepared));
    if (this.pending <= this.maxPending / 2) this.drainSpool();
    return 'accepted';
  }

  /**
   * Replays the spool, oldest file first, a file at a time while the engine has room; a file is
   * removed once all of it is committed (what was committed before a crash is dropped as seen).
   */
  private drainSpool(): void {
    const spool = this.options.spooled?.spool;
    if (!spool || this.draining || this.closed || spool.size === 0) return;
    this.draining = (async () => {
      while (!this.closed && spool.size > 0 && this.pending <= this.maxPending / 2) {
        const file = spool.next();
        if (!file) break;
        if (file.skipped > 0)
          this.options.logger.warn({ skipped: file.skipped }, 'Spool: lines cut short by a crash were skipped.');
        const handed: Promise<unknown>[] = [];
        for (const entry of file.entries) {
          // Never more in memory than the bound, whatever a file holds.
          if (this.pending >= this.maxPending) await this.room();
          handed.push(this.process(entry as Prepared, true));
        }
        const results = await Promise.allSettled(handed);
        const failed = file.entries.filter((_, i) => results[i]?.status === 'rejected');
        if (failed.length > 0 && this.drainFailures < spoolAttempts) {
          this.options.logger.error(
            { failed: failed.length },
            'Spool: messages could not be committed; trying again later.',
          );
          this.drainFailures++;
          return;
        }
        if (failed.length > 0) {
          // One message that never commits must not hold up every later one.
          this.options.logger.error(
            { failed: failed.length },
            'Spool: messages that could not be committed after many tries are set aside in spool/set-aside.jsonl.',
          );
        }
        this.drainFailures = 0;
        file.done(failed);
      }
    })().finally(() => {
      this.draining = undefined;
      if (this.drainFailures > 0) this.scheduleDrain();
      else if (spool.size > 0 && this.pending <= this.maxPending / 2) setImmediate(() => this.drainSpool());
    });
  }

  private scheduleDrain(): void {
    if (this.drainTimer || this.closed) return;
    const [first, max] = this.options.spoolRetryMs ?? [1000, 5 * 60_000];
    const wait = Math.min(first * 2 ** Math.min(Math.max(this.drainFailures - 1, 0), 16), max);
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      this.drainSpool();
    }, wait);
    this.drainTimer.unref?.();
  }

  /** Fetches and stores the file an input carries, outside the transaction (it is slow I/O). */
  private async prepare(input: Prepared): Promise<Prepared> {
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
    if (input.kind !== 'timer' && !this.floodExempt.has(input.channel)) {
      const { limit, windowMs } = this.options.flood ?? { limit: 30, windowMs: 60_000 };
      const recent = countInWindow(conversation, this.sentAt(input).getTime(), windowMs);
      // An emergency always reaches the flow, flood or not: the person gets the emergency numbers.
      if (recent > limit && flag !== 'emergency') {
        // A flood: every message is kept, the flow is spared, and the user is asked once to slow down.
        const replies = recent === limit + 1 ? [reply('common:slowDown')] : [];
        return this.respond(tx, conversation, conversation.locale as Locale, replies, {
          snapshot: conversation.snapshot,
        });
      }
    }

    if ('lateRating' in reading) {
      // Kept by the engine: the flow has moved on, and what it asks now is not interrupted.
      const said =
        this.options.effects.lateRating(reading.lateRating, { tx, conversation, now: this.clock() }) ??
        'common:staleOption';
      return this.respond(tx, conversation, conversation.locale as Locale, [reply(said)], {
        snapshot: conversation.snapshot,
      });
    }
    const file = input.file;
    if ('edgeReply' in reading || typeof file === 'string') {
      const edge = 'edgeReply' in reading ? edgeReply(reading) : this.fileRejected(file as MediaRejection);
      return this.respond(tx, conversation, conversation.locale as Locale, [edge], { snapshot: conversation.snapshot });
    }
    const event = reading.event;
    if (event.type === 'media' && accepted.mediaId !== undefined) event.mediaId = accepted.mediaId;
    return this.runFlow(tx, conversation, event);
  }

  /**
   * When the person sent it: the platform's time where it tells, never later than now (a phone
   * with a wrong clock), else now. Kept with the seen row, it is what the flood guard counts.
   */
  private sentAt(input: EngineInput): Date {
    const now = this.clock();
    const sent = 'sentAt' in input ? input.sentAt : undefined;
    return sent instanceof Date && !Number.isNaN(sent.getTime()) && sent < now ? sent : now;
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
    if (!recordInbound(tx, input.channel, input.messageId, conversation.id, this.sentAt(input))) return undefined;
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

  /**
   * A started actor of the flow, from a saved snapshot (JSON) or from the start. A snapshot that
   * cannot be read or restored leaves `turn.failure` set (the caller starts the conversation again).
   */
  private newActor(snapshot: string | null, locale: Locale): LiveActor {
    const turn: LiveActor['turn'] = { outputs: [], failure: undefined };
    let actor: LiveActor['actor'];
    try {
      actor = createActor(
        this.options.flow.machine,
        snapshot != null ? { snapshot: JSON.parse(snapshot) } : { input: { locale } },
      );
    } catch (error) {
      turn.failure = error;
      actor = createActor(this.options.flow.machine, { input: { locale } });
      return { actor, turn, persisted: '' };
    }
    const live: LiveActor = { actor, turn, persisted: '' };
    actor.on('*', (output) => live.turn.outputs.push(output as FlowOutput));
    actor.subscribe({ error: (error) => (live.turn.failure ??= error) });
    try {
      actor.start();
    } catch (error) {
      live.turn.failure ??= error;
    }
    return live;
  }

  private runFlow(tx: Db, conversation: Conversation, event: FlowEvent): Outcome {
    const { flow, effects } = this.options;
    let locale = conversation.locale as Locale;
    let restart = conversation.snapshot != null && conversation.flowVersion !== flow.version;
    // The actor kept since this conversation's last turn, or one restored from its snapshot.
    let live = restart ? undefined : this.actors.take(conversation.id, conversation.snapshot);
    if (live) live.turn = { outputs: [], failure: undefined };
    else {
      live = this.newActor(restart ? null : conversation.snapshot, locale);
      if (live.turn.failure !== undefined || live.actor.getSnapshot().status !== 'active') {
        if (conversation.snapshot == null || restart) {
          throw new FlowError(`Conversation ${conversation.id}: the flow does not start.`, {
            cause: live.turn.failure,
          });
        }
        // A saved state that is corrupted or unknown: the person is told the conversation starts
        // again (a draft application is kept apart, and they are told it waits for them).
        this.options.logger.warn(
          { err: live.turn.failure, conversationId: conversation.id },
          'A saved conversation could not be restored; it starts again.',
        );
        live.actor.stop();
        restart = true;
        live = this.newActor(null, locale);
        if (live.turn.failure !== undefined || live.actor.getSnapshot().status !== 'active') {
          throw new RestoreError(`Conversation ${conversation.id} could not be restored.`, {
            cause: live.turn.failure,
          });
        }
      }
    }
    const { actor, turn } = live;

    actor.send(event);
    // An application in progress is kept as a draft row: the person is told it waits for them.
    const replies: Reply[] = restart
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
    for (let i = 0; i < turn.outputs.length && turn.failure === undefined; i++) {
      if (i >= maxOutputsPerTurn)
        throw new FlowError(`Conversation ${conversation.id}: a flow emitted too much in one turn.`);
      const output = turn.outputs[i] as FlowOutput;
      if (output.type === 'reply') {
        replies.push(output);
        continue;
      }
      const { type: _t, ...request } = output;
      const handler = effects[request.name] as (r: typeof request, c: typeof context) => FlowEvent | undefined;
      const result = handler(request, context);
      if (result) actor.send(result);
    }
    if (turn.failure !== undefined) throw turn.failure;
    if (actor.getSnapshot().status !== 'active') {
      throw new FlowError(`Conversation ${conversation.id}: the flow stopped (${actor.getSnapshot().status}).`);
    }
    live.persisted = JSON.stringify(actor.getPersistedSnapshot());
    return {
      ...this.respond(tx, conversation, locale, replies, { snapshot: live.persisted }),
      kept: { conversationId: conversation.id, live },
    };
  }

  /** Queues this turn's replies, writes them to the transcript and saves the conversation. */
  private respond(
    tx: Db,
    conversation: Conversation,
    locale: Locale,
    replies: Reply[],
    state: { snapshot: string | null },
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
      floodSince: conversation.floodSince,
      floodCount: conversation.floodCount,
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
 * Counts a message in its chat's flood window, which starts at the first message sent after the
 * last window ended; returns how many the window now holds. Kept on the conversation row, saved
 * with its state, so a message needs no count over the messages before it.
 */
function countInWindow(conversation: Conversation, sentAt: number, windowMs: number): number {
  if (sentAt >= conversation.floodSince + windowMs) {
    conversation.floodSince = sentAt;
    conversation.floodCount = 0;
  }
  return ++conversation.floodCount;
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

/** An input as the spool keeps it: plain data (a file's fetcher is dropped; the file is stored). */
function spoolable(input: Prepared): object {
  if (input.kind !== 'media') return input;
  const { download: _download, ...rest } = input;
  return rest.file === undefined ? { ...rest, file: 'unavailable' } : rest;
}

/**
 * A reply the edge gives itself, with the options it names offered again as they were shown
 * («which of these two?»): the flow is not disturbed, and still waits for one of them.
 */
function edgeReply(reading: { edgeReply: string; candidates?: ShownOption[] }): Reply {
  const options = reading.candidates?.map((o) => ({
    id: o.id,
    key: 'common:option.shown',
    labels: Object.fromEntries(locales.map((lng, i) => [lng, o.labels[i] ?? o.labels[0] ?? ''])) as Record<
      Locale,
      string
    >,
  }));
  return reply(reading.edgeReply, options);
}
