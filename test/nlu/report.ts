// `npm run nlu:eval`: how well the assistant understands the evaluation corpus, per intent.
import {
  emergencyCheck,
  emergencySets,
  evaluate,
  evaluateHeldOut,
  examples,
  firstMessages,
  heldOut,
} from './evaluate.ts';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const report = evaluate();
console.log(`corpus.json (the development set): ${examples.length} messages\n`);
console.log('intent'.padEnd(14), 'precision'.padStart(10), 'recall'.padStart(8), 'n'.padStart(5));
for (const row of report.perIntent) {
  console.log(
    row.intent.padEnd(14),
    percent(row.precision).padStart(10),
    percent(row.recall).padStart(8),
    String(row.support).padStart(5),
  );
}
console.log('\nconfusion (expected → got: count)');
for (const [expected, row] of Object.entries(report.confusion)) {
  console.log(
    `  ${expected.padEnd(12)} → ${Object.entries(row)
      .map(([got, n]) => `${got}: ${n}`)
      .join(', ')}`,
  );
}
if (process.argv.includes('--mistakes')) {
  console.log('\nmistakes');
  for (const m of report.mistakes) console.log(`  ${m.expected} → ${m.got}  | ${m.text}`);
}
console.log(
  `\naccuracy ${percent(report.accuracy)} · emergency recall ${percent(report.emergencyRecall)} · false emergencies ${percent(report.falseEmergencies)}`,
);
for (const [name, set] of Object.entries(emergencySets)) {
  const { recall, falseAlarms } = emergencyCheck(set);
  console.log(
    `${name}.json (${set.length}): emergency recall ${percent(recall)} · false alarms ${percent(falseAlarms)}`,
  );
}

/** One line of figures for a set of first messages. */
const figures = (name: string, result: ReturnType<typeof evaluateHeldOut>) =>
  `\n${name}: routed ${percent(result.routed)} · ${Object.entries(result.perScript)
    .map(([script, share]) => `${script} ${percent(share)}`)
    .join(
      ' · ',
    )} · emergency recall ${percent(result.emergencyRecall)} · false emergencies ${percent(result.falseEmergencies)}`;

const dev = evaluateHeldOut(firstMessages);
console.log(figures(`dev2.json (${firstMessages.length} first messages, for development)`, dev));
if (process.argv.includes('--mistakes')) {
  for (const m of dev.mistakes) console.log(`  ${m.expected} → ${m.got}  | ${m.text}`);
}
// The held-out first messages: the figure that counts. Its misses are never printed.
const held = evaluateHeldOut();
console.log(figures(`heldout.json (${heldOut.length} first messages, written apart; never tuned on)`, held));
