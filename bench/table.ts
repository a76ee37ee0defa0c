import type { Results } from './index.ts';

const n = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

/** The run as a Markdown table (printed, and pasted into the README's "Performance"). */
export function formatTable(r: Results): string {
  const { throughput: t, delivery: d } = r;
  const rows: [string, string][] = [
    ['Machine', `${r.machine.cpu} × ${r.machine.cores}, Node ${r.machine.node}, ${r.machine.date.slice(0, 10)}`],
    ['One chat at a time', `${n(t.sequential.perSecond)} msg/s`],
    [`${r.sizes.concurrentPeople} chats at once`, `${n(t.concurrent.perSecond)} msg/s`],
    [`Bursts of ${n(r.sizes.people)}`, `${n(t.burst.perSecond)} msg/s`],
    ...r.openLoop.map((o): [string, string] => [
      `Open loop at ${o.share * 100}% (${n(o.perSecond)} msg/s)`,
      `p50 ${n(o.latencyMs.p50, 1)} · p95 ${n(o.latencyMs.p95, 1)} · p99 ${n(o.latencyMs.p99, 1)} · max ${n(o.latencyMs.max, 1)} ms`,
    ]),
    ['Longest transaction (event loop held)', `${n(r.longestTransactionMs, 1)} ms`],
    [
      'Event-loop delay in the burst',
      `p99 ${n(t.burst.eventLoopDelay.p99, 1)} ms · max ${n(t.burst.eventLoopDelay.max, 1)} ms`,
    ],
    [
      `Bursts of ${n(r.sizes.deliveryPeople)}, delivered in-process by the outbox`,
      `${n(d.inProcess.perSecond)} msg/s (${n(r.ratios.inProcessToBurst, 2)}×)`,
    ],
    [
      `Bursts of ${n(r.sizes.telegramPeople)}, through Telegram and a Bot API on 127.0.0.1`,
      `${n(d.telegram.perSecond)} msg/s (${n(r.ratios.telegramToBurst, 2)}×)`,
    ],
    [
      'Message 10 → message 1,000 of a conversation',
      `${n(r.longConversation.atMessage10Ms, 2)} → ${n(r.longConversation.atMessage1000Ms, 2)} ms (${n(r.longConversation.ratio, 2)}×)`,
    ],
    [
      `Heap: none → ${n(r.heap.idleConversations)} idle conversations`,
      `${n(r.heap.heapNoneMb, 1)} → ${n(r.heap.heapIdleMb, 1)} MB (${n(r.heap.growthMb, 1)} MB)`,
    ],
    ['Database per conversation', `${n(r.storage.perConversation / 1024, 1)} KiB`],
    ...r.raw.map((x): [string, string] => [
      `Raw SQLite, ${x.synchronous}, ${x.perTransaction} per transaction`,
      `${n(x.rate.perSecond)} msg/s`,
    ]),
    ...r.floor.map((x): [string, string] => [
      `Floor, ${x.perTransaction} per transaction`,
      `${n(x.rate.perSecond)} msg/s (${n(x.rate.usPerMessage)} µs/msg)`,
    ]),
    [
      'Ratios',
      `one chat / raw FULL×1 ${n(r.ratios.sequentialToRawFull1, 2)} · burst / raw FULL×20 ${n(r.ratios.burstToRawFull20, 2)} · burst / raw FULL×64 ${n(r.ratios.burstToRawFull64, 2)}`,
    ],
  ];
  const lines = ['| Measure | Result |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  lines.push('', '| Target (issue 14) | Value | Limit | |', '| --- | --- | --- | --- |');
  for (const target of r.targets) {
    lines.push(`| ${target.name} | ${n(target.value, 2)} | ${target.limit} | ${target.met ? 'met' : '**not met**'} |`);
  }
  return lines.join('\n');
}
