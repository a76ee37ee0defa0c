import { config } from '../helpers.ts';
import { conversation } from './conversation.ts';
import type { Script } from './scripts.ts';

type Conversation = ReturnType<typeof conversation>;

/** Sunday 10:00 in Riyadh, in working hours: when a conversation happens unless its script says. */
const sunday = '2026-11-29T07:00:00Z';

/** Plays `turns` as one person's conversation at `at`, and returns what `check` finds wrong after the last. */
async function playing(turns: string[], at: string, check: (c: Conversation) => string[]): Promise<string[]> {
  const c = conversation(new Date(at));
  try {
    for (const turn of turns) await c.write(turn);
    return check(c);
  } finally {
    c.close();
  }
}

/** The draft's answers that are not as wanted (`null`: not answered), each saved one read by `read` first. */
function draftProblems(
  c: Conversation,
  want: Record<string, unknown>,
  read: (field: string, saved: unknown) => unknown = (_, saved) => saved,
): string[] {
  const draft = c.draft() ?? {};
  return Object.entries(want).flatMap(([field, wanted]) => {
    const got = read(field, draft[field] ?? null);
    return JSON.stringify(got) === JSON.stringify(wanted)
      ? []
      : [`draft.${field} is ${JSON.stringify(got)}, not ${JSON.stringify(wanted)}`];
  });
}

/** What went wrong in one script, in words; empty when it passed. */
export function play(script: Script): Promise<string[]> {
  return playing(script.turns, script.at ?? sunday, (c) => {
    const last = c.turns.at(-1)?.keys ?? [];
    const problems: string[] = [];
    const said = c.turns.flatMap((t) => t.keys);
    if (script.last) {
      const matches = (key: string, want: string) =>
        want.endsWith('*') ? key.startsWith(want.slice(0, -1)) : key === want;
      let from = 0;
      for (const want of script.last) {
        const at = last.findIndex((key, i) => i >= from && matches(key, want));
        if (at < 0) problems.push(`the last replies ${JSON.stringify(last)} lack ${want}`);
        else from = at + 1;
      }
    }
    for (const key of script.lastNot ?? []) if (last.includes(key)) problems.push(`the last replies have ${key}`);
    const lastText = c.turns.at(-1)?.text ?? '';
    if (script.startsWith && !lastText.startsWith(script.startsWith))
      problems.push(`the last reply starts «${lastText.split('\n')[0]}», not «${script.startsWith}»`);
    for (const part of script.lastText ?? [])
      if (!lastText.includes(part)) problems.push(`the last reply lacks «${part}»`);
    const lines = lastText.split('\n').length;
    if (script.maxLines !== undefined && lines > script.maxLines) problems.push(`the last reply takes ${lines} lines`);
    for (const key of script.never ?? []) if (said.includes(key)) problems.push(`said ${key}`);
    problems.push(...draftProblems(c, script.draft ?? {}));
    if (script.tickets) {
      const got = c.tickets().map((t) => ({ kind: t.kind, text: t.text, urgent: t.urgent }));
      if (JSON.stringify(got) !== JSON.stringify(script.tickets)) problems.push(`filed ${JSON.stringify(got)}`);
    }
    return problems;
  });
}

/**
 * A conversation of a set written without sight of the code or the texts (`blind*.json`), kept
 * apart and never tuned on: only outcomes a person would notice are checked.
 */
export interface BlindScript {
  flow: string;
  name: string;
  turns: string[];
  expect: {
    /** Answers of the application's draft (a city by its Arabic name, or `other:…`); `null`: not saved. */
    draft?: Record<string, unknown>;
    submitted?: boolean;
    tickets?: { kind: string; textIncludes?: string; urgent?: boolean }[];
    handoff?: boolean;
    cancelled?: boolean;
    emergencyFirst?: boolean;
  };
}

const queued = /^handoff:(queued|queuedClosed|already|emergency|emergencyClosed|emergencyWithStaff)$/;
const cancelKeys = ['common:cancelled', 'aid:cancel.done', 'complaint:cancelled'];

/** What went wrong in one blind script, in words; empty when it passed. */
export function playBlind(script: BlindScript): Promise<string[]> {
  return playing(script.turns, sunday, (c) => {
    const { expect } = script;
    const said = c.turns.flatMap((t) => t.keys);
    // A city is named as the person reads it: its Arabic name (or `other:…` as typed).
    const cityName = (field: string, saved: unknown) =>
      field === 'city' ? (config.cities.find((city) => city.id === saved)?.names.ar ?? saved) : saved;
    const problems = draftProblems(c, expect.draft ?? {}, cityName);
    const check = (what: string, got: boolean, want: boolean | undefined) => {
      if (want !== undefined && got !== want) problems.push(`${what}: ${got}, not ${want}`);
    };
    check('submitted', said.includes('aid:submitted'), expect.submitted);
    check(
      'handoff',
      said.some((key) => queued.test(key)),
      expect.handoff,
    );
    check(
      'cancelled',
      said.some((key) => cancelKeys.includes(key)),
      expect.cancelled,
    );
    const first = (c.turns.at(-1)?.text ?? '').split(/[.\n،:]/)[0] ?? '';
    check('emergency numbers first', /997|911/.test(first), expect.emergencyFirst);
    if (expect.tickets) {
      const got = c.tickets();
      const fits =
        got.length === expect.tickets.length &&
        expect.tickets.every(
          (want, i) =>
            got[i]?.kind === want.kind &&
            (want.textIncludes === undefined || got[i]?.text.includes(want.textIncludes)) &&
            (want.urgent === undefined || got[i]?.urgent === want.urgent),
        );
      if (!fits)
        problems.push(`filed ${JSON.stringify(got.map((t) => ({ kind: t.kind, text: t.text, urgent: t.urgent })))}`);
    }
    return problems;
  });
}
