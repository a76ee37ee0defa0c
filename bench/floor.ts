// The yardsticks the engine is measured against, in the same run: raw SQLite writing the rows a
// message writes, and "the floor" — the work no engine can avoid (restore the root flow's actor
// from the snapshot the engine stored, send it the same event, persist it, write the rows raw).
import { join } from 'node:path';
import { type AnyStateMachine, createActor } from 'xstate';
import { rootMachine } from '../flows/root/rootMachine.ts';
import { type Connection, openDatabase } from '../src/db/client.ts';

/** One step of a conversation as the engine ran it: the snapshot it restored and the event it sent. */
export interface Step {
  /** The persisted snapshot, as JSON; null for a conversation's first message. */
  snapshot: string | null;
  /** The input a new actor started with (the locale). */
  input: unknown;
  event: { type: string };
}

/**
 * The root machine, recording each step the engine runs: the snapshot each actor is restored
 * from (or its input when new) and the first event it is sent. The engine itself is untouched.
 */
export function recordingMachine(steps: Step[]): AnyStateMachine {
  const machine = rootMachine as unknown as Record<string, (...args: unknown[]) => unknown>;
  const recorder = Object.create(rootMachine) as Record<string, unknown>;
  let started: Omit<Step, 'event'> | undefined;
  recorder.restoreSnapshot = function (this: unknown, snapshot: unknown, scope: unknown) {
    started = { snapshot: JSON.stringify(snapshot), input: undefined };
    return machine.restoreSnapshot?.call(this, snapshot, scope);
  };
  recorder.getInitialSnapshot = function (this: unknown, scope: unknown, input: unknown) {
    started = { snapshot: null, input };
    return machine.getInitialSnapshot?.call(this, scope, input);
  };
  recorder.transition = function (this: unknown, state: unknown, event: { type: string }, scope: unknown) {
    if (started && !event.type.startsWith('xstate.')) {
      steps.push({ ...started, event: structuredClone(event) });
      started = undefined;
    }
    return machine.transition?.call(this, state, event, scope);
  };
  return recorder as unknown as AnyStateMachine;
}

/** Rows of the sizes the engine writes, sampled from its database. */
export interface RowSamples {
  snapshots: string[];
  payloads: string[];
  texts: string[];
}

/** Samples snapshots, outbox payloads and inbound texts from the engine's own database. */
export function sampleRows(connection: Connection, count = 500): RowSamples {
  const column = (query: string) =>
    (connection.prepare(query).pluck().all(count) as (string | null)[]).filter((v): v is string => v != null);
  return {
    snapshots: column('select snapshot from conversations where snapshot is not null order by random() limit ?'),
    payloads: column('select payload from outbox order by random() limit ?'),
    texts: column(`select text from transcript where direction = 'in' order by random() limit ?`),
  };
}

/** A rate measured over a number of messages. */
export interface Rate {
  messages: number;
  seconds: number;
  perSecond: number;
  /** Microseconds per message. */
  usPerMessage: number;
}

function rate(messages: number, ms: number): Rate {
  return { messages, seconds: ms / 1000, perSecond: (messages / ms) * 1000, usPerMessage: (ms * 1000) / messages };
}

/**
 * A fresh database with the production settings (the project's own `openDatabase`: SQLCipher,
 * WAL, migrations) and the row writes of one message as raw prepared statements.
 */
function rawWriter(dir: string, name: string, secret: string, synchronous: 'FULL' | 'NORMAL') {
  const database = openDatabase(join(dir, `${name}.db`), secret);
  const c = database.connection;
  c.pragma(`synchronous = ${synchronous}`);
  const dedupe = c.prepare(
    'insert into processed_inbound (channel, message_id, conversation_id, created_at) values (?, ?, ?, ?) on conflict do nothing',
  );
  const upsert = c.prepare(
    `insert into conversations (channel, chat_id, locale, flow_version, snapshot, options, updated_at)
     values (?, ?, 'ar', 1, ?, '[]', ?)
     on conflict (channel, chat_id) do update set snapshot = excluded.snapshot, updated_at = excluded.updated_at
     returning id`,
  );
  const transcript = c.prepare(
    'insert into transcript (conversation_id, direction, author, kind, text, payload, message_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const outbox = c.prepare(
    `insert into outbox (conversation_id, channel, chat_id, payload, status, attempts, next_attempt_at, created_at)
     values (?, 'raw', ?, ?, 'pending', 0, ?, ?)`,
  );
  let next = 0;
  return {
    connection: c,
    /** The rows of message `i`: dedupe, snapshot upsert, transcript in and out, outbox. */
    write(i: number, chatId: string, snapshot: string, samples: RowSamples) {
      const now = Date.now();
      const { id } = upsert.get('raw', chatId, snapshot, now) as { id: number };
      dedupe.run('raw', `m${next++}`, id, now);
      const text = samples.texts[i % samples.texts.length] ?? '';
      const payload = samples.payloads[i % samples.payloads.length] ?? '{}';
      transcript.run(id, 'in', 'user', 'text', text, null, `m${next}`, now);
      outbox.run(id, chatId, payload, now, now);
      transcript.run(id, 'out', 'bot', 'message', text, payload, null, now);
    },
    close: () => database.close(),
  };
}

/** Runs `count` messages, `perTransaction` to a transaction, timing the whole. */
function batched(connection: Connection, count: number, perTransaction: number, message: (i: number) => void): number {
  const run = connection.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) message(i);
  });
  const started = performance.now();
  for (let from = 0; from < count; from += perTransaction) run.immediate(from, Math.min(count, from + perTransaction));
  return performance.now() - started;
}

/**
 * Raw better-sqlite3 writing the rows of `count` messages, over `chats` chats: as many as the
 * burst it is compared with, so that a transaction touches as many conversations' pages.
 */
export function rawRate(
  dir: string,
  name: string,
  secret: string,
  samples: RowSamples,
  options: { count: number; perTransaction: number; synchronous: 'FULL' | 'NORMAL'; chats: number },
): Rate {
  const { count, perTransaction, synchronous, chats } = options;
  const writer = rawWriter(dir, `raw-${name}`, secret, synchronous);
  try {
    const ms = batched(writer.connection, count, perTransaction, (i) =>
      writer.write(i, String(i % chats), samples.snapshots[i % samples.snapshots.length] ?? '{}', samples),
    );
    return rate(count, ms);
  } finally {
    writer.close();
  }
}

/**
 * The floor: for each recorded step, restore the root flow's actor from its snapshot (or start
 * it), send the same event, persist it, and write the message's rows raw, at `synchronous=FULL`,
 * over `chats` chats.
 */
export function floorRate(
  dir: string,
  name: string,
  secret: string,
  steps: Step[],
  samples: RowSamples,
  options: { count: number; perTransaction: number; chats: number },
): Rate {
  const writer = rawWriter(dir, `floor-${name}`, secret, 'FULL');
  try {
    const ms = batched(writer.connection, options.count, options.perTransaction, (i) => {
      const step = steps[i % steps.length] as Step;
      const actor = createActor(
        rootMachine,
        (step.snapshot != null ? { snapshot: JSON.parse(step.snapshot) } : { input: step.input }) as never,
      );
      const outputs: unknown[] = [];
      actor.on('*', (output) => outputs.push(output));
      actor.start();
      actor.send(step.event as never);
      const snapshot = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      writer.write(i, String(i % options.chats), snapshot, samples);
    });
    return rate(options.count, ms);
  } finally {
    writer.close();
  }
}
