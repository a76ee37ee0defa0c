// The engine's figures: throughput one chat at a time, with many chats at once and in a burst;
// open-loop latency; the longest transaction and the event loop's delay; delivery through the
// outbox to an in-process channel and through the Telegram adapter to a Bot API on 127.0.0.1;
// cost along one long conversation; heap with idle conversations; bytes per conversation.
import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TelegramChannel } from '../src/channels/telegram/telegramChannel.ts';
import type { OutboundMessage } from '../src/domain/messages.ts';
import type { Channel, EngineInbox } from '../src/engine/channel.ts';
import { Pacer } from '../src/engine/pacer.ts';
import { FakeBotApi } from '../test/telegram/fakeBotApi.ts';
import type { Assistant } from './assistant.ts';
import { type Person, people, textInbound } from './conversations.ts';

/** How big each part of the run is; {@link defaultSizes} is the full run. */
export interface Sizes {
  /** Simulated beneficiaries in the burst and delivery runs, and the open-loop chats. */
  people: number;
  /** Lines of each person's script sent in the burst and delivery runs (one burst per line). */
  burstRounds: number;
  /** Whole conversations run one message at a time (in three slices). */
  sequentialPeople: number;
  /** Whole conversations run at once. */
  concurrentPeople: number;
  /** Seconds of open-loop arrivals at each rate. */
  openLoopSeconds: number;
  /** People in the burst delivered in-process by the outbox drainer. */
  deliveryPeople: number;
  /** People whose messages go through the Telegram adapter and the fake Bot API. */
  telegramPeople: number;
  /** Messages in the one long conversation. */
  longConversation: number;
  /** Idle conversations put in the database for the heap comparison. */
  idleConversations: number;
  /** Messages written by raw SQLite and by the floor, per configuration. */
  rawMessages: number;
  /** Whole conversations recorded for the floor. */
  floorPeople: number;
}

/** The full run: a few minutes on two cores. */
export const defaultSizes: Sizes = {
  people: 2000,
  burstRounds: 4,
  sequentialPeople: 90,
  concurrentPeople: 200,
  openLoopSeconds: 6,
  deliveryPeople: 1000,
  telegramPeople: 500,
  longConversation: 1000,
  idleConversations: 100_000,
  rawMessages: 2000,
  floorPeople: 100,
};

/** Percentiles of a set of durations, in milliseconds. */
export interface Spread {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** A throughput stage's figures. */
export interface Throughput {
  messages: number;
  seconds: number;
  perSecond: number;
  /** The longest database transaction during the stage (ms): the event loop is held that long. */
  longestTransactionMs: number;
  /** Transactions during the stage, and their spread (ms). */
  transactions: Spread;
  /** The event loop's delay during the stage (ms). */
  eventLoopDelay: { p50: number; p99: number; max: number };
}

/** Measures a stage: its messages per second, its transactions and the event loop's delay. */
async function measure(
  transactions: { take(): number[] },
  messages: number,
  work: () => Promise<void>,
): Promise<Throughput> {
  transactions.take();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  loop.disable();
  const times = transactions.take();
  const inMs = (ns: number) => ns / 1e6;
  return {
    messages,
    seconds: ms / 1000,
    perSecond: (messages / ms) * 1000,
    longestTransactionMs: times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : Number.NaN,
    transactions: spread(times),
    eventLoopDelay: { p50: inMs(loop.percentile(50)), p99: inMs(loop.percentile(99)), max: inMs(loop.max) },
  };
}

/** Hands a person's whole conversation to the engine, a message at a time. */
async function converse(inbox: EngineInbox, person: Person, channel = 'bench'): Promise<void> {
  for (const line of person.script.lines) await inbox.handle(textInbound(person.chatId, line, new Date(), channel));
}

const messagesOf = (group: Person[], rounds = Number.POSITIVE_INFINITY) =>
  group.reduce((n, p) => n + Math.min(rounds, p.script.lines.length), 0);

/** Bursts: line `r` of every person's script handed over at once, for each of `rounds` lines. */
async function bursts(inbox: EngineInbox, group: Person[], rounds: number, channel = 'bench'): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      group.flatMap((p) => {
        const line = p.script.lines[r];
        return line === undefined ? [] : [inbox.handle(textInbound(p.chatId, line, new Date(), channel))];
      }),
    );
  }
}

/** Chat ids are never reused between stages: each stage starts new conversations. */
let nextChat = 1_000_000;
function newPeople(count: number): Person[] {
  const group = people(count, nextChat);
  nextChat += count;
  return group;
}

/** One chat at a time: every message awaited before the next is sent. */
export function oneAtATime(assistant: Assistant, t: { take(): number[] }, count: number): Promise<Throughput> {
  const group = newPeople(count);
  return measure(t, messagesOf(group), async () => {
    for (const person of group) await converse(assistant.engine, person);
  });
}

/** `count` chats at once, each sending its messages in order. */
export function manyAtOnce(assistant: Assistant, t: { take(): number[] }, count: number): Promise<Throughput> {
  const group = newPeople(count);
  return measure(t, messagesOf(group), async () => {
    await Promise.all(group.map((p) => converse(assistant.engine, p)));
  });
}

/** Bursts of `count` messages (one per chat), `rounds` times. */
export function burst(
  assistant: Assistant,
  t: { take(): number[] },
  count: number,
  rounds: number,
): Promise<Throughput> {
  const group = newPeople(count);
  return measure(t, messagesOf(group, rounds), () => bursts(assistant.engine, group, rounds));
}

/** Open-loop latencies at one arrival rate. */
export interface OpenLoop {
  perSecond: number;
  latencyMs: Spread;
  longestTransactionMs: number;
  eventLoopDelayP99: number;
}

/**
 * Open loop: messages arrive at `perSecond` whatever the engine does (people do not wait for
 * each other), for `seconds`, each person's lines in order across `chats` chats; the latency is
 * from when a message was due to arrive until the engine committed it.
 */
export async function openLoop(
  assistant: Assistant,
  t: { take(): number[] },
  perSecond: number,
  seconds: number,
  chats: number,
): Promise<OpenLoop> {
  const group = newPeople(chats);
  const arrivals: { chatId: string; text: string }[] = [];
  const total = Math.max(1, Math.round(perSecond * seconds));
  for (let r = 0; arrivals.length < total && r < 100; r++) {
    for (const p of group) {
      const line = p.script.lines[r];
      if (line !== undefined && arrivals.length < total) arrivals.push({ chatId: p.chatId, text: line });
    }
  }
  const latencies: number[] = [];
  const waits: Promise<unknown>[] = [];
  const gap = 1000 / perSecond;
  const run = await measure(t, arrivals.length, async () => {
    const start = performance.now();
    let next = 0;
    while (next < arrivals.length) {
      const now = performance.now();
      // Every arrival that is due is handed over, late ones too: their lateness counts.
      while (next < arrivals.length && start + next * gap <= now) {
        const due = start + next * gap;
        const { chatId, text } = arrivals[next] as { chatId: string; text: string };
        waits.push(
          assistant.engine.handle(textInbound(chatId, text)).then(() => latencies.push(performance.now() - due)),
        );
        next++;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + next * gap - performance.now())));
    }
    await Promise.all(waits);
  });
  return {
    perSecond,
    latencyMs: spread(latencies),
    longestTransactionMs: run.longestTransactionMs,
    eventLoopDelayP99: run.eventLoopDelay.p99,
  };
}

/** A channel in the same process that takes every reply at once: only the outbox's own cost is left. */
class InProcessChannel implements Channel {
  readonly name = 'inprocess';
  sent = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_chatId: string, _message: OutboundMessage): Promise<void> {
    this.sent++;
  }
}

/** A throughput with every reply delivered by the time it ends. */
export interface Delivered extends Throughput {
  delivered: number;
}

/** Bursts as in {@link burst}, each reply delivered through the real outbox drainer in-process. */
export async function withInProcessDelivery(
  assistant: Assistant,
  t: { take(): number[] },
  count: number,
  rounds: number,
): Promise<Delivered> {
  const channel = new InProcessChannel();
  assistant.deliverTo(channel);
  const group = newPeople(count);
  const run = await measure(t, messagesOf(group, rounds), async () => {
    await bursts(assistant.engine, group, rounds, channel.name);
    await assistant.flush();
  });
  return { ...run, delivered: channel.sent };
}

/**
 * The real Telegram adapter against the fake Bot API on 127.0.0.1: updates fetched by long
 * polling, handed to the engine, replies sent by the outbox drainer through `sendMessage`. The
 * pacer is open (Telegram's 30 messages/s would measure Telegram, not the assistant).
 */
export async function throughTelegram(
  assistant: Assistant,
  t: { take(): number[] },
  count: number,
  rounds: number,
): Promise<Delivered> {
  const api = await new FakeBotApi().start();
  const channel = new TelegramChannel({
    token: api.token,
    apiRoot: api.apiRoot,
    pollTimeoutSeconds: 1,
    webhookUrl: undefined,
    webhookSecret: undefined,
    pacer: new Pacer(0, 1_000_000),
    logger: assistant.logger,
    translate: (key, locale) => assistant.renderer.text(key, locale),
  });
  const drainer = assistant.deliverTo(channel);
  let handled = 0;
  let wanted = 0;
  let reached: (() => void) | undefined;
  const inbox: EngineInbox = {
    handle: async (inbound) => {
      const outcome = await assistant.engine.handle(inbound);
      if (++handled >= wanted) reached?.();
      return outcome;
    },
    lastReply: (channelName, chatId) => assistant.engine.lastReply(channelName, chatId),
    room: () => assistant.engine.room(),
  };
  await channel.start(inbox, { ready: () => drainer.wake() });
  const group = newPeople(count).map((p, i) => ({ ...p, chatId: String(5_000_000 + i) }));
  try {
    const run = await measure(t, messagesOf(group, rounds), async () => {
      for (let r = 0; r < rounds; r++) {
        const done = new Promise<void>((resolve) => {
          reached = resolve;
        });
        for (const p of group) {
          const line = p.script.lines[r];
          if (line === undefined) continue;
          wanted++;
          api.userSends(Number(p.chatId), line);
        }
        if (handled < wanted) await done;
      }
      await assistant.flush();
    });
    return { ...run, delivered: api.sent.length };
  } finally {
    await channel.stop();
    await api.stop();
  }
}

/** The cost of a message early and late in one long conversation. */
export interface LongConversation {
  messages: number;
  /** Median ms of messages 5–15 of young conversations. */
  atMessage10Ms: number;
  /** Median ms of the long conversation's last 30 messages (around message 1,000). */
  atMessage1000Ms: number;
  ratio: number;
}

const loopLines = ['1', 'وش الأوراق المطلوبة للتقديم؟', 'القائمة', 'انت روبوت؟', 'شكرا', '3', 'القائمة', 'هلا'];

/**
 * One chat's messages, each awaited: greeting, consent, then the menu, enquiries and small talk
 * over and over. Sent three seconds apart by the platform's clock, in the past, so that the
 * flood guard (30 a minute) lets every message through to the flow.
 */
function chatter(inbox: EngineInbox, chatId: string, count: number): () => Promise<number> {
  const first = Date.now() - (count + 5) * 3000;
  let i = 0;
  return async () => {
    const line = i < 2 ? (['السلام عليكم', 'أوافق'][i] as string) : (loopLines[(i - 2) % loopLines.length] as string);
    const inbound = textInbound(chatId, line, new Date(first + i++ * 3000));
    const started = performance.now();
    await inbox.handle(inbound);
    return performance.now() - started;
  };
}

/**
 * One conversation brought to `count` messages; its last 30 are timed in turn with messages
 * 5–15 of three young conversations, so that both are measured under the same load (a busy
 * machine's noise would otherwise decide the ratio).
 */
export async function longConversation(assistant: Assistant, count: number): Promise<LongConversation> {
  const [old, ...young] = newPeople(4).map((p) => chatter(assistant.engine, p.chatId, count + 10));
  if (!old) throw new Error('no conversation');
  for (let i = 0; i < count - 30; i++) await old();
  const early: number[] = [];
  const late: number[] = [];
  for (const next of young) {
    for (let i = 0; i < 5; i++) await next();
    for (let i = 0; i < 10; i++) {
      early.push(await next());
      late.push(await old());
    }
  }
  const atMessage10Ms = spread(early).p50;
  const atMessage1000Ms = spread(late).p50;
  return { messages: count, atMessage10Ms, atMessage1000Ms, ratio: atMessage1000Ms / atMessage10Ms };
}

/** Database bytes per conversation, the write-ahead log folded in. */
export function bytesPerConversation(assistant: Assistant): {
  conversations: number;
  bytes: number;
  perConversation: number;
} {
  const c = assistant.database.connection;
  c.pragma('wal_checkpoint(TRUNCATE)');
  const conversations = c.prepare('select count(*) from conversations').pluck().get() as number;
  const bytes = statSync(assistant.file).size;
  return { conversations, bytes, perConversation: bytes / Math.max(1, conversations) };
}

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) collect();
  return process.memoryUsage().heapUsed;
}

/** The heap with no idle conversations and with `count` of them in the database. */
export interface IdleHeap {
  idleConversations: number;
  heapNoneMb: number;
  heapIdleMb: number;
  growthMb: number;
}

/**
 * Heap after the same small workload (50 new conversations, and 50 messages to older ones),
 * first with no idle conversations added, then with `count` copies of a conversation at the
 * menu put in the database.
 */
export async function idleHeap(assistant: Assistant, count: number): Promise<IdleHeap> {
  const workload = async () => {
    await Promise.all(newPeople(50).map((p) => converse(assistant.engine, p)));
    await assistant.engine.idle();
  };
  await workload();
  const none = heapAfterGc();
  const c = assistant.database.connection;
  const columns = (c.prepare(`select name from pragma_table_info('conversations')`).pluck().all() as string[]).filter(
    (name) => name !== 'id' && name !== 'chat_id',
  );
  const model = c
    .prepare(`select id from conversations where snapshot is not null order by id desc limit 1`)
    .pluck()
    .get();
  c.prepare(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
     insert into conversations (chat_id, ${columns.join(', ')})
     select 'idle-' || i, ${columns.join(', ')} from n, conversations where conversations.id = ?`,
  ).run(count, model);
  // Some idle people come back: their conversations are read from the database.
  for (let i = 1; i <= 50; i++) {
    await assistant.engine.handle(textInbound(`idle-${i * Math.floor(count / 50)}`, 'القائمة'));
  }
  await workload();
  const idle = heapAfterGc();
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return { idleConversations: count, heapNoneMb: mb(none), heapIdleMb: mb(idle), growthMb: mb(idle - none) };
}
