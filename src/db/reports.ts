import { sql } from 'drizzle-orm';
import { addDays, daysFrom, localDay, weekOf } from '../domain/calendarDays.ts';
import { type CaseStage, caseStages, withdrawableStages } from '../domain/caseStages.ts';
import type { Role } from '../domain/permissions.ts';
import { median, percentile } from '../domain/stats.ts';
import { fromLocalTime, type Hours, workingMsBetween } from '../domain/workingHours.ts';
import type { Db } from './client.ts';
import type { Rating } from './ratings.ts';

/**
 * What the managers' reports are computed over: whole weeks (Sunday to Saturday, in the
 * organisation's time zone) up to now, and "now" for what is waiting or overdue.
 */
export interface ReportWindow {
  from: Date;
  to: Date;
  /** The Sunday of each week in the window, oldest first. */
  weeks: string[];
  /** Every day in the window, oldest first. */
  days: string[];
}

/** The last `weeks` weeks, this one included, ending at `now`. */
export function reportWindow(now: Date, weeks: number, timeZone: string): ReportWindow {
  const thisWeek = weekOf(localDay(now, timeZone));
  const first = addDays(thisWeek, -7 * (weeks - 1));
  const from = fromLocalTime(`${first}T00:00`, timeZone) ?? now;
  return {
    from,
    to: now,
    weeks: Array.from({ length: weeks }, (_, i) => addDays(first, 7 * i)),
    days: daysFrom(first, localDay(now, timeZone)),
  };
}

/** How many ratings, and how many of them were 4 or 5. */
export interface Satisfaction {
  rated: number;
  satisfied: number;
}

/** A staff team as the reports show it: the role of the staff member whose work it was, or none (an FAQ answer). */
export type Team = Role | 'none';

/** One rating as reports see it: never who gave it, never which staff member it was about. */
interface RatingFact {
  subject: Rating['subject'];
  channel: string;
  team: Team;
  score: number | null;
  answered: boolean;
  week: string;
  comment: string | null;
}

/** The figures on the managers' dashboard, each of them a table too. */
export interface Report {
  window: ReportWindow;
  satisfaction: {
    overall: Satisfaction;
    byWeek: ({ week: string } & Satisfaction)[];
    byChannel: ({ channel: string } & Satisfaction)[];
    byService: ({ subject: Rating['subject'] } & Satisfaction)[];
    byTeam: ({ team: Team } & Satisfaction)[];
  };
  /** Of the ratings asked for (FAQ answers are rated unasked: not counted), how many were answered. */
  response: { subject: Exclude<Rating['subject'], 'faq'>; asked: number; answered: number; skipped: number }[];
  /** Comments, newest first, with the week, the kind of item and the channel only. */
  comments: { week: string; subject: Rating['subject']; channel: string; score: number | null; comment: string }[];
  handoffs: {
    /** Handoffs asked for in the window that a staff member answered. */
    answered: number;
    /** Working minutes from the request to the first staff reply. */
    medianMinutes: number | null;
    p90Minutes: number | null;
    waitingNow: number;
    withStaffNow: number;
    /** Conversations staff handled (had, and that are now closed), by the day they closed. */
    byDay: { day: string; handled: number }[];
  };
  cases: {
    byStage: { stage: CaseStage; count: number }[];
    /** Requests decided (approved or not) in the window, and how many by their answer date. */
    decided: number;
    decidedInTime: number;
    /** Requests not decided yet whose answer date has passed. */
    overdueNow: number;
  };
  complaints: {
    byCategory: {
      code: string;
      names: { ar: string; en: string };
      received: number;
      resolved: number;
      resolvedInTime: number;
    }[];
    received: number;
    resolved: number;
    resolvedInTime: number;
    openNow: number;
  };
}

const services: readonly Rating['subject'][] = ['handoff', 'ticket', 'case', 'faq'];
const asked = ['handoff', 'ticket', 'case'] as const;
const teams: readonly Team[] = ['officer', 'researcher', 'manager', 'admin', 'none'];

const tally = (facts: RatingFact[]): Satisfaction => {
  const rated = facts.filter((f) => f.score !== null);
  return { rated: rated.length, satisfied: rated.filter((f) => (f.score ?? 0) >= 4).length };
};

/**
 * Computes every figure of the managers' reports for `window` (see {@link Report}). Reads no
 * personal data: ratings without the conversation or the staff member (their role only),
 * handoffs, requests and complaints as counts and times.
 */
export function readReport(db: Db, window: ReportWindow, hours: Hours): Report {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const zone = hours.timeZone;
  const weekOfMs = (ms: number) => weekOf(localDay(new Date(ms), zone));

  // ---- ratings ----
  const facts: RatingFact[] = db
    .all<{
      subject: Rating['subject'];
      channel: string;
      role: Role | null;
      score: number | null;
      answered_at: number | null;
      asked_at: number;
      comment: string | null;
    }>(
      sql`select r.subject, r.channel, s.role, r.score, r.answered_at, r.asked_at, r.comment
          from ratings r left join staff_users s on s.id = r.staff_user_id
          where r.asked_at >= ${from} and r.asked_at < ${to}
          order by r.asked_at desc, r.id desc`,
    )
    .map((r) => ({
      subject: r.subject,
      channel: r.channel,
      team: r.role ?? 'none',
      score: r.score,
      answered: r.answered_at !== null,
      week: weekOfMs(r.asked_at),
      comment: r.comment,
    }));
  const channels = [...new Set(facts.map((f) => f.channel))].sort();

  // ---- handoffs ----
  const handoffRows = db.all<{ created_at: number; first_reply: number | null }>(
    sql`select h.created_at,
          (select min(t.created_at) from transcript t
            where t.conversation_id = h.conversation_id and t.author = 'staff'
              and t.created_at >= h.claimed_at
              and (h.closed_at is null or t.created_at <= h.closed_at)) as first_reply
        from handoffs h
        where h.created_at >= ${from} and h.created_at < ${to} and h.claimed_at is not null`,
  );
  const minutes = handoffRows
    .filter((h) => h.first_reply !== null)
    .map((h) => workingMsBetween(new Date(h.created_at), new Date(h.first_reply as number), hours) / 60_000);
  const handled = db.all<{ closed_at: number }>(
    sql`select closed_at from handoffs
        where status = 'closed' and claimed_by is not null and closed_at >= ${from} and closed_at < ${to}`,
  );
  const open = db.get<{ waiting: number; claimed: number }>(
    sql`select coalesce(sum(status = 'waiting'), 0) as waiting, coalesce(sum(status = 'claimed'), 0) as claimed
        from handoffs where status != 'closed'`,
  );

  // ---- aid requests ----
  const stages = db.all<{ stage: CaseStage; n: number }>(sql`select stage, count(*) as n from cases group by stage`);
  const decisions = db.all<{ due_at: number; decided_at: number }>(
    sql`select * from (
          select c.due_at,
            (select min(e.created_at) from case_events e
              where e.case_id = c.id and e.to_stage in ('approved', 'rejected')) as decided_at
          from cases c)
        where decided_at >= ${from} and decided_at < ${to}`,
  );
  const undecided = sql.join(
    withdrawableStages.map((s) => sql`${s}`),
    sql`, `,
  );
  const overdueCases =
    db.get<{ n: number }>(sql`select count(*) as n from cases where stage in (${undecided}) and due_at < ${to}`)?.n ??
    0;

  // ---- complaints ----
  const categories = db.all<{
    code: string;
    name_ar: string;
    name_en: string;
    received: number;
    resolved: number;
    in_time: number;
  }>(
    sql`select c.code, c.name_ar, c.name_en,
          (select count(*) from tickets t where t.category_id = c.id and t.kind = 'complaint'
            and t.created_at >= ${from} and t.created_at < ${to}) as received,
          (select count(*) from tickets t where t.category_id = c.id and t.kind = 'complaint'
            and t.resolved_at >= ${from} and t.resolved_at < ${to}) as resolved,
          (select count(*) from tickets t where t.category_id = c.id and t.kind = 'complaint'
            and t.resolved_at >= ${from} and t.resolved_at < ${to} and t.resolved_at <= t.due_at) as in_time
        from ticket_categories c
        order by c.position, c.id`,
  );
  const openComplaints =
    db.get<{ n: number }>(
      sql`select count(*) as n from tickets where kind = 'complaint' and stage in ('open', 'in_progress')`,
    )?.n ?? 0;
  const sum = (key: 'received' | 'resolved' | 'in_time') => categories.reduce((total, c) => total + c[key], 0);

  return {
    window,
    satisfaction: {
      overall: tally(facts),
      byWeek: window.weeks.map((week) => ({ week, ...tally(facts.filter((f) => f.week === week)) })),
      byChannel: channels.map((channel) => ({ channel, ...tally(facts.filter((f) => f.channel === channel)) })),
      byService: services.map((subject) => ({ subject, ...tally(facts.filter((f) => f.subject === subject)) })),
      byTeam: teams
        .map((team) => ({ team, ...tally(facts.filter((f) => f.team === team)) }))
        .filter((t) => t.rated > 0 || t.team !== 'admin'),
    },
    response: asked.map((subject) => {
      const of = facts.filter((f) => f.subject === subject);
      return {
        subject,
        asked: of.length,
        answered: of.filter((f) => f.score !== null).length,
        skipped: of.filter((f) => f.answered && f.score === null).length,
      };
    }),
    comments: facts.flatMap((f) =>
      f.comment ? [{ week: f.week, subject: f.subject, channel: f.channel, score: f.score, comment: f.comment }] : [],
    ),
    handoffs: {
      answered: minutes.length,
      medianMinutes: median(minutes),
      p90Minutes: percentile(minutes, 90),
      waitingNow: open?.waiting ?? 0,
      withStaffNow: open?.claimed ?? 0,
      byDay: window.days.map((day) => ({
        day,
        handled: handled.filter((h) => localDay(new Date(h.closed_at), zone) === day).length,
      })),
    },
    cases: {
      byStage: caseStages.map((stage) => ({ stage, count: stages.find((s) => s.stage === stage)?.n ?? 0 })),
      decided: decisions.length,
      decidedInTime: decisions.filter((d) => d.decided_at <= d.due_at).length,
      overdueNow: overdueCases,
    },
    complaints: {
      byCategory: categories.map((c) => ({
        code: c.code,
        names: { ar: c.name_ar, en: c.name_en },
        received: c.received,
        resolved: c.resolved,
        resolvedInTime: c.in_time,
      })),
      received: sum('received'),
      resolved: sum('resolved'),
      resolvedInTime: sum('in_time'),
      openNow: openComplaints,
    },
  };
}
