import type { ApplicationAnswers, Locale } from '../../flows/events.ts';
import type { Config } from '../config.ts';
import { privacyDecisionOf, recordConsent } from '../db/consents.ts';
import { recordMissed } from '../db/missed.ts';
import { cancelTimer, setTimer } from '../db/timers.ts';
import { flagHealth } from '../db/transcript.ts';
import { anonymise } from '../domain/anonymise.ts';
import type { EffectHandlers } from '../engine/effects.ts';
import {
  answerReview,
  attachToCase,
  type CaseSettings,
  catalogue,
  clearDraft,
  keepDraft,
  loadDraft,
  lookupCase,
  myCases,
  savedApplicant,
  submitApplication,
  withdrawCase,
} from './cases.ts';
import {
  cancelHandoff,
  type HandoffSettings,
  markHandoffOverdue,
  requestHandoff,
  staffAvailability,
} from './handoff.ts';
import { eraseData, type PrivacySettings, summariseData, verificationFor, withdrawConsent } from './privacy.ts';
import { askRating, recordLateRating, recordRating } from './ratings.ts';
import {
  fileTicket,
  lookupTicket,
  myTickets,
  reopenByPerson,
  type TicketSettings,
  ticketCategories,
  ticketSettingsOf,
} from './tickets.ts';

/** What the effects need to know of the organisation. */
export type EffectSettings = HandoffSettings & {
  cases: CaseSettings;
  tickets: TicketSettings;
  privacy: PrivacySettings;
  /** Channels that carry no photos or documents (the terminal chat): applicants there bring papers to the office. */
  textOnlyChannels: readonly string[];
};

/** The effects' settings from the configuration. */
export function effectSettingsOf(config: Config): EffectSettings {
  return {
    org: config.org,
    handoffNoAnswerMs: config.handoffNoAnswerMs,
    textOnlyChannels: ['console'],
    cases: {
      timeZone: config.org.timeZone,
      decisionDays: config.decisionDays,
      reviewIntervalMs: config.reviewIntervalMs,
      cities: config.cities,
    },
    tickets: ticketSettingsOf({ org: config.org, handoffNoAnswerMs: config.handoffNoAnswerMs }, config.complaints),
    privacy: { dataDir: config.dataDir },
  };
}

/** Every effect the flows can ask for, each performed by the desk that owns it. */
export function createEffects(settings: EffectSettings): EffectHandlers {
  return {
    'locale.set': (request, { setLocale }) => {
      setLocale(request.locale);
      return undefined;
    },
    'consent.record': (request, { tx, conversation }) => {
      recordConsent(tx, conversation.id, request.decision, request.noticeVersion, request.purpose);
      return undefined;
    },
    'timer.set': (request, { tx, conversation, now }) => {
      setTimer(tx, conversation.id, request.key, new Date(now.getTime() + request.delayMs));
      return undefined;
    },
    'timer.cancel': (request, { tx, conversation }) => {
      cancelTimer(tx, conversation.id, request.key);
      return undefined;
    },
    'profile.phone': (request, { tx, conversation }) => ({
      type: 'profile.phone',
      phone: conversation.platformPhone ?? undefined,
      files: !settings.textOnlyChannels.includes(conversation.channel),
      ...(request.applicant ? savedApplicant(tx, conversation) : {}),
    }),
    'handoff.request': (request, { tx, conversation, now }) => requestHandoff(tx, conversation, request, now, settings),
    'handoff.cancel': (_request, { tx, conversation, now }) => cancelHandoff(tx, conversation, now),
    'staff.availability': (_request, { tx, now }) => staffAvailability(tx, now, settings),
    'understanding.missed': (request, { tx, conversation, now }) => {
      const text = anonymise(request.text);
      if (text) recordMissed(tx, request.lang ?? (conversation.locale as Locale), text, now, request.reason);
      return undefined;
    },
    'handoff.overdue': (_request, { tx, conversation }) => {
      markHandoffOverdue(tx, conversation);
      return undefined;
    },
    'catalogue.load': (_request, { tx }) => catalogue(tx, settings.cases),
    'draft.save': (request, { tx, conversation, now }) => {
      keepDraft(tx, conversation, request.answers, now);
      // A staff member taking over mid-application sees the need and the documents only if their role may.
      flagHealth(tx, conversation.id, healthOf(request.answers));
      return undefined;
    },
    'draft.load': (_request, { tx, conversation }) => loadDraft(tx, conversation),
    'draft.clear': (_request, { tx, conversation }) => {
      clearDraft(tx, conversation);
      return undefined;
    },
    'case.submit': (request, { tx, conversation, now }) => {
      const result = submitApplication(tx, conversation, request.answers, now, settings.cases);
      // The need and the documents are health details: officers no longer see them in the chat.
      if (result.type === 'case.submitted') flagHealth(tx, conversation.id, healthOf(request.answers));
      return result;
    },
    'cases.mine': (_request, { tx, conversation }) => myCases(tx, conversation),
    'case.lookup': (request, { tx, conversation, now }) => lookupCase(tx, conversation, request, now),
    'case.attach': (request, { tx, conversation, now }) => {
      const result = attachToCase(tx, conversation, request, now);
      flagHealth(tx, conversation.id, { mediaIds: [request.mediaId] });
      return result;
    },
    'case.withdraw': (request, { tx, conversation, now }) => withdrawCase(tx, conversation, request.caseId, now),
    'review.answer': (request, { tx, conversation, now }) => {
      answerReview(tx, conversation, request, now, settings.cases);
      // What a permanent beneficiary says of their need is a health detail, as in an application.
      if (request.answers) flagHealth(tx, conversation.id, healthOf(request.answers));
      return undefined;
    },
    'ticketCategories.load': (_request, { tx }) => ticketCategories(tx),
    'ticket.file': (request, { tx, conversation, now }) =>
      fileTicket(tx, conversation, request.ticket, now, settings.tickets),
    'tickets.mine': (_request, { tx, conversation }) => myTickets(tx, conversation),
    'ticket.lookup': (request, { tx, conversation, now }) => lookupTicket(tx, conversation, request, now),
    'ticket.reopen': (request, { tx, conversation, now }) => reopenByPerson(tx, conversation, request, now),
    'rating.ask': (request, { tx, conversation, now }) =>
      // Consent withdrawn: nothing more is asked of them beyond answering (their opinion included).
      privacyDecisionOf(tx, conversation.id) === 'withdrawn'
        ? { type: 'rating.asked', subject: request.subject, subjectId: request.subjectId, fresh: false }
        : askRating(tx, conversation, request, now),
    'rating.record': (request, { tx, conversation, now }) => {
      recordRating(tx, conversation, request, now);
      return undefined;
    },
    'privacy.summary': (_request, { tx, conversation, now }) => summariseData(tx, conversation, now),
    'privacy.verify': (_request, { tx, conversation }) => verificationFor(tx, conversation),
    'privacy.erase': (request, { tx, conversation, now }) =>
      eraseData(tx, conversation, request, now, settings.privacy),
    'privacy.withdraw': (request, { tx, conversation }) => {
      withdrawConsent(tx, conversation, request.noticeVersion);
      return undefined;
    },
    lateRating: (late, { tx, conversation, now }) => recordLateRating(tx, conversation, late, now),
  };
}

/** An application's health details as they show in its chat: the need as typed, the documents sent. */
function healthOf(answers: ApplicationAnswers): { text?: string; mediaIds: number[] } {
  return {
    ...(answers.description ? { text: answers.description } : {}),
    mediaIds: (answers.documents ?? []).flatMap((d) => (d.mediaId === undefined ? [] : [d.mediaId])),
  };
}
