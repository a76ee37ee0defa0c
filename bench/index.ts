// `npm run bench`: the engine's figures against raw SQLite and the floor, in one run, with the
// targets of issue 14 met or not; then what understanding costs (bench/understanding.ts).
// Sizes: `npm run bench -- --scale 0.1` for a tenth, or `--people 500 --idle-conversations 1000`…
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchKey, startAssistant } from './assistant.ts';
import { people, textInbound } from './conversations.ts';
import {
  burst,
  bytesPerConversation,
  idleHeap,
  longConversation,
  manyAtOnce,
  oneAtATime,
  openLoop,
  type Sizes,
  type Throughput,
  throughTelegram,
  withInProcessDelivery,
} from './engineBench.ts';
import { floorRate, type Rate, rawRate, recordingMachine, type Step, sampleRows } from './floor.ts';

/** What a run is asked to do. */
export interface BenchOptions {
  sizes: Sizes;
  /** Where results.json is written. */
  output: string;
  /** Progress lines (stderr by default). */
  progress?: (line: string) => void;
}

/** One target of issue 14, met or not. */
export interface Target {
  name: string;
  value: number;
  limit: string;
  met: boolean;
}

/** Raw SQLite or the floor in one configuration. */
interface Yardstick {
  synchronous: 'FULL' | 'NORMAL';
  perTransaction: number;
  rate: Rate;
  /** Messages/s of each of the three measurements, the median being `rate`. */
  all?: number[];
}

/** Per configuration, the run with the median rate. */
function medianOf(runs: Yardstick[][]): Yardstick[] {
  return (runs[0] ?? []).map((_, i) => {
    const sorted = runs.map((run) => run[i] as Yardstick).sort((a, b) => a.rate.perSecond - b.rate.perSecond);
    return { ...(sorted[Math.floor(sorted.length / 2)] as Yardstick), all: sorted.map((y) => y.rate.perSecond) };
  });
}

/** Everything a run measured: what `bench/results.json` holds. */
export type Results = Awaited<ReturnType<typeof runBench>>;

/** Runs every stage in one process and writes `options.output`; resolves with what it wrote. */
export async function runBench(options: BenchOptions) {
  const { sizes } = options;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ataa-bench-'));
  try {
    progress('bench: recording the steps for the floor (and training understanding once)…');
    const steps: Step[] = [];
    // Every message restored from its snapshot (no actor kept): the recorder sees each step so.
    const recorder = startAssistant(join(dir, 'floor'), { machine: recordingMachine(steps), restoreEachMessage: true });
    for (const p of people(sizes.floorPeople, 1)) {
      for (const line of p.script.lines) await recorder.engine.handle(textInbound(p.chatId, line));
    }
    const samples = sampleRows(recorder.database.connection);
    await recorder.close();
    // Raw SQLite and the floor are measured three times (before, amid and after the engine's
    // stages) and the median kept: on a shared machine a short measurement is luck.
    const rawDir = join(dir, 'raw');
    const measureYardsticks = (round: number) => {
      progress(`bench: raw SQLite and the floor (${round} of 3)…`);
      const raw: Yardstick[] = [];
      for (const synchronous of ['FULL', 'NORMAL'] as const) {
        for (const perTransaction of [1, 20, 64]) {
          // One fsync a message: fewer messages give as steady a rate.
          const count = perTransaction === 1 ? Math.ceil(sizes.rawMessages / 4) : sizes.rawMessages;
          const name = `${synchronous}-${perTransaction}-${round}`;
          const rate = rawRate(rawDir, name, benchKey, samples, {
            count,
            perTransaction,
            synchronous,
            chats: sizes.people,
          });
          raw.push({ synchronous, perTransaction, rate });
        }
      }
      const floor = [1, 64].map((perTransaction) => {
        const count = perTransaction === 1 ? Math.ceil(sizes.rawMessages / 4) : sizes.rawMessages;
        const name = `${perTransaction}-${round}`;
        return {
          synchronous: 'FULL' as const,
          perTransaction,
          rate: floorRate(rawDir, name, benchKey, steps, samples, { count, perTransaction, chats: sizes.people }),
        };
      });
      return { raw, floor };
    };
    const yardsticks: ReturnType<typeof measureYardsticks>[] = [];

    progress('bench: starting the assistant…');
    const assistant = startAssistant(join(dir, 'main'));
    const t = assistant.transactions;
    // Warm-up: the code paths compiled before anything is timed.
    await Promise.all(
      people(20, 1).map(async (p) => {
        for (const line of p.script.lines) await assistant.engine.handle(textInbound(p.chatId, line));
      }),
    );
    await assistant.engine.idle();

    // One chat at a time waits on an fsync a message, as the one-transaction floor does: it is
    // measured in three slices, each right after the yardsticks, and the median slice kept.
    const slices: Throughput[] = [];
    const slice = async () => {
      yardsticks.push(measureYardsticks(yardsticks.length + 1));
      progress(`bench: one chat at a time (${slices.length + 1} of 3)…`);
      slices.push(await oneAtATime(assistant, t, Math.max(1, Math.round(sizes.sequentialPeople / 3))));
    };
    await slice();
    progress(`bench: ${sizes.concurrentPeople} chats at once…`);
    const concurrent = await manyAtOnce(assistant, t, sizes.concurrentPeople);
    progress(`bench: bursts of ${sizes.people}…`);
    const burstRun = await burst(assistant, t, sizes.people, sizes.burstRounds);
    await slice();
    const openLoops = [];
    for (const share of [0.25, 0.5]) {
      progress(`bench: open loop at ${share * 100}% of the burst rate…`);
      const rate = Math.max(1, burstRun.perSecond * share);
      openLoops.push({ share, ...(await openLoop(assistant, t, rate, sizes.openLoopSeconds, sizes.people)) });
    }
    progress('bench: delivery through the outbox to an in-process channel…');
    const inProcess = await withInProcessDelivery(assistant, t, sizes.deliveryPeople, sizes.burstRounds);
    progress('bench: delivery through the Telegram adapter and the fake Bot API…');
    const telegram = await throughTelegram(assistant, t, sizes.telegramPeople, sizes.burstRounds);
    progress(`bench: one conversation of ${sizes.longConversation} messages…`);
    const long = await longConversation(assistant, sizes.longConversation);
    const storage = bytesPerConversation(assistant);
    await slice();
    const bySpeed = [...slices].sort((a, b) => a.perSecond - b.perSecond);
    const sequential = { ...((bySpeed[1] ?? bySpeed[0]) as Throughput), all: bySpeed.map((x) => x.perSecond) };
    const longestTransactionMs = Math.max(
      ...slices.map((x) => x.longestTransactionMs),
      concurrent.longestTransactionMs,
      burstRun.longestTransactionMs,
      inProcess.longestTransactionMs,
      telegram.longestTransactionMs,
      ...openLoops.map((o) => o.longestTransactionMs),
    );
    progress(`bench: heap with ${sizes.idleConversations} idle conversations…`);
    const heap = await idleHeap(assistant, sizes.idleConversations);
    await assistant.close();

    const raw = medianOf(yardsticks.map((y) => y.raw));
    const floor = medianOf(yardsticks.map((y) => y.floor));

    const rawAt = (synchronous: string, perTransaction: number) =>
      raw.find((r) => r.synchronous === synchronous && r.perTransaction === perTransaction)?.rate.perSecond ??
      Number.NaN;
    const floorAt = (perTransaction: number) =>
      floor.find((f) => f.perTransaction === perTransaction)?.rate.perSecond ?? Number.NaN;
    // One chat at a time against a yardstick: each slice against the yardstick measured just
    // before it, the median of the three ratios.
    const paired = (pick: (y: (typeof yardsticks)[number]) => Yardstick | undefined) => {
      const each = slices.map(
        (x, i) => x.perSecond / (pick(yardsticks[i] as (typeof yardsticks)[number])?.rate.perSecond ?? Number.NaN),
      );
      return [...each].sort((a, b) => a - b)[Math.floor(each.length / 2)] ?? Number.NaN;
    };
    const ratios = {
      sequentialToRawFull1: paired((y) => y.raw.find((r) => r.synchronous === 'FULL' && r.perTransaction === 1)),
      burstToRawFull20: burstRun.perSecond / rawAt('FULL', 20),
      burstToRawFull64: burstRun.perSecond / rawAt('FULL', 64),
      sequentialToFloor1: paired((y) => y.floor.find((f) => f.perTransaction === 1)),
      burstToFloor64: burstRun.perSecond / floorAt(64),
      inProcessToBurst: inProcess.perSecond / burstRun.perSecond,
      telegramToBurst: telegram.perSecond / burstRun.perSecond,
    };
    const half = openLoops.find((o) => o.share === 0.5);
    const targets: Target[] = [
      {
        name: 'burst ≥ 0.5× the batched floor',
        value: ratios.burstToFloor64,
        limit: '≥ 0.5',
        met: ratios.burstToFloor64 >= 0.5,
      },
      {
        name: 'one chat at a time ≥ 0.6× the one-transaction floor',
        value: ratios.sequentialToFloor1,
        limit: '≥ 0.6',
        met: ratios.sequentialToFloor1 >= 0.6,
      },
      {
        name: 'no transaction longer than 10 ms',
        value: longestTransactionMs,
        limit: '≤ 10 ms',
        met: longestTransactionMs <= 10,
      },
      {
        name: 'open-loop p99 at 50% of burst throughput',
        value: half?.latencyMs.p99 ?? Number.NaN,
        limit: '≤ 20 ms',
        met: (half?.latencyMs.p99 ?? Number.POSITIVE_INFINITY) <= 20,
      },
      {
        name: 'with delivery ≥ 0.8× without',
        value: ratios.inProcessToBurst,
        limit: '≥ 0.8',
        met: ratios.inProcessToBurst >= 0.8,
      },
      { name: 'message 1,000 within 20% of message 10', value: long.ratio, limit: '≤ 1.2', met: long.ratio <= 1.2 },
      {
        name: 'no heap growth from idle conversations',
        value: heap.growthMb,
        limit: '≤ 5 MB',
        met: heap.growthMb <= 5,
      },
    ];
    const results = {
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 1024 ** 3),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        date: new Date().toISOString(),
      },
      sizes,
      throughput: { sequential, concurrent, burst: burstRun },
      openLoop: openLoops,
      longestTransactionMs,
      delivery: { inProcess, telegram },
      longConversation: long,
      heap,
      storage,
      raw,
      floor,
      ratios,
      targets,
      seconds: (performance.now() - started) / 1000,
    };
    writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
