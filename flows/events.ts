/**
 * The vocabulary between the engine and every flow: the events a flow receives and the
 * `reply` and `effect` events it emits. Flows never see raw platform updates or raw menu text.
 */

/** The languages the assistant speaks; Arabic is the default. */
export type Locale = 'ar' | 'en';

/** The words that work at every step, in any language (القائمة، رجوع، إلغاء…). */
export type GlobalWord = 'menu' | 'back' | 'cancel' | 'help' | 'staff' | 'language' | 'emergency';

/**
 * A service a person can ask for in their own words: apply for aid, follow a request up, send
 * a complaint, a suggestion or thanks (`praise`, a ticket of kind `thanks`), or use their rights
 * over their personal data: see what is held about them (`myData`) or have it erased (`deleteData`).
 */
export const services = ['aid', 'followUp', 'complaint', 'suggestion', 'praise', 'myData', 'deleteData'] as const;
export type Service = (typeof services)[number];

/** The questions the enquiries answer, in the order their list offers them. */
export const topics = [
  'about',
  'services',
  'eligibility',
  'documents',
  'apply',
  'duration',
  'channels',
  'hours',
  'rights',
] as const;
export type Topic = (typeof topics)[number];

/** Small talk, answered kindly without leaving the question the person was at. */
export const smallTalks = ['greeting', 'thanks', 'goodbye', 'bot', 'insult'] as const;
export type SmallTalk = (typeof smallTalks)[number];

/** The global words a message may say in a sentence of its own («ممكن اكلم موظف؟»). */
export const globalIntents = ['staff', 'menu', 'cancel', 'back', 'language', 'help'] as const;

/** Everything the edge's classifier tells apart in free text (`locales/<lang>/intents.json`). */
export const intents = [...globalIntents, ...services, ...topics, ...smallTalks] as const;
export type Intent = (typeof intents)[number];

/** What a beneficiary did, already read at the edge. */
export type UserEvent =
  /** An offered option, chosen by button, number, label or a close spelling of it. */
  | { type: 'choice'; id: string }
  /**
   * Free text that is neither an option nor a global word, with what the edge understood of it
   * (see {@link Understood}). `normalized` is kept for the transcript's sake, not for matching.
   */
  | ({ type: 'text'; text: string; normalized: string } & Understood)
  /**
   * A word that works everywhere; for `emergency`, the `text` it was read in (a person describing
   * a long illness in an application may use the same words as one in danger now), and `care`
   * when it tells of thoughts of self-harm; for `language`, the `locale` it named, if any
   * («English please»), which `lang` (the language of the words) is not.
   */
  | {
      type: 'global';
      word: GlobalWord;
      text?: string;
      normalized?: string;
      locale?: Locale;
      /** The language the words were written in (by their letters), when it was words. */
      lang?: Locale;
      care?: boolean;
    }
  /** A file the person sent; `mediaId` is set when it was stored (linked to the conversation). */
  | { type: 'media'; kind: 'photo' | 'document' | 'voice' | 'video'; mediaId?: number }
  | { type: 'location'; latitude: number; longitude: number }
  | { type: 'contact'; phone: string | undefined };

/** What the edge understood of free text; every field is absent when it could not tell. */
export interface Understood {
  /** The language it is written in (by its letters), when it has any. */
  lang?: Locale;
  /** An enquiry asked («وش الاوراق المطلوبه» → documents). */
  topic?: Topic;
  /** A service asked for («ممكن تساعدوني» → aid, «وين وصل طلبي» → followUp, «محد يرد علي» → complaint). */
  service?: Service;
  /** Small talk («السلام عليكم», «شكرا», «انت روبوت؟»). */
  smallTalk?: SmallTalk;
  /**
   * A global word asked for in a sentence where a typed answer was awaited («ممكن اتكلم مع انسان»
   * at the name question): not acted on at the edge, since the sentence may be the answer (a
   * complaint about a staff member); the flow acts on it when the text is no answer to its question.
   */
  global?: GlobalWord;
  /**
   * A question about an emergency service that names no danger («هل توفرون اسعاف لنقل ابوي
   * لموعده؟»): the numbers are given in one line first, then the question is answered as any other.
   */
  asksAboutEmergencyServices?: true;
  /** A plain yes or no («لا», «ايه») that no option on offer answers: never taken for a typed answer. */
  answer?: 'yes' | 'no';
  /**
   * When no meaning was clear: the two or three likeliest services and topics, likeliest first,
   * for a clarifying question.
   */
  likely?: (Service | Topic)[];
  /**
   * A reference written in it: a request's `A-48-00042-1` or a complaint's `C-48-00007-3` (its
   * check digit not yet verified); eight digits with a valid check digit and no letter are taken
   * for a request's.
   */
  reference?: string;
  /** A Saudi mobile number written in it, in E.164. */
  phone?: string;
  /** A national ID or Iqama number written in it (ten digits, valid check digit). */
  nationalId?: string;
}

/** A place in the staff queue: the handoff, the place, whether staff are at work now and when they are next. */
export interface QueuePlace {
  handoffId: number;
  position: number;
  open: boolean;
  opensAt: number;
  already: boolean;
}

/** What the engine tells a flow on its own: a durable deadline fired, or an effect finished. */
export type SystemEvent =
  | { type: 'timer'; key: string }
  /**
   * The answer to a `profile.phone` effect: the sender's phone as the platform reports it, and
   * whether the person can send photos and PDFs on this channel (`files: false` in the terminal
   * chat, which carries text only; absent means they can).
   */
  | {
      type: 'profile.phone';
      phone: string | undefined;
      files?: boolean;
      /** The name, ID and mobile of this chat's last application, to confirm rather than ask again. */
      saved?: { name: string; nationalId: string; phone: string };
      /** The consent to health data this chat gave stands (not withdrawn): it is not asked again. */
      healthConsent?: boolean;
    }
  /**
   * The answer to `handoff.request`: the place in the queue, whether staff are at work now, and
   * when they are next (`opensAt`, epoch ms). `already` when the person was queued before.
   */
  | { type: 'handoff.queued'; handoffId: number; position: number; open: boolean; opensAt: number; already: boolean }
  /**
   * The answer to `staff.availability`: whether staff are at work now, when they are next
   * (`opensAt`, epoch ms), and how many people wait in the queue.
   */
  | { type: 'staff.availability'; open: boolean; opensAt: number; waiting: number }
  /** A staff member took the conversation. */
  | { type: 'handoff.claimed' }
  /** The staff member put the conversation back in the queue. */
  | { type: 'handoff.released' }
  /** The handoff ended: closed by staff (`staffUserId`, whose work it was), or left by the person. */
  | { type: 'handoff.closed'; handoffId: number; by: 'staff' | 'user'; staffUserId?: number }
  /** Staff served the person's aid request: they may be asked to rate the service, once. */
  | { type: 'case.served'; caseId: number; staffUserId?: number }
  /** Staff resolved the person's complaint (the resolution was sent): they may be asked to rate it, once. */
  | { type: 'ticket.resolved'; ticketId: number; staffUserId?: number }
  /**
   * The answer to `rating.ask`: `fresh` when this is the first time the item is asked about (the
   * question is put); false when it was asked before, answered or not: it is never asked twice.
   */
  | { type: 'rating.asked'; subject: 'handoff' | 'ticket' | 'case' | 'faq'; subjectId: number; fresh: boolean }
  /** The answer to `catalogue.load`: what may be asked for, the documents, the cities. */
  | { type: 'catalogue'; aidTypes: CatalogueItem[]; documents: CatalogueItem[]; cities: CatalogueItem[] }
  /** The answer to `draft.load`: the answers of an unfinished application, if there is one. */
  | { type: 'draft.loaded'; answers: ApplicationAnswers | undefined }
  /** The answer to `case.submit`: the request is saved with its reference and answer date (epoch ms). */
  | { type: 'case.submitted'; caseId: number; reference: string; dueAt: number }
  /**
   * The answer to `case.submit` when the same ID already has an open request of that aid type:
   * its summary when it was made from this chat; none otherwise (a stranger typing someone's ID
   * learns nothing of their request).
   */
  | { type: 'case.duplicate'; summary?: CaseSummary }
  /** The answer to `cases.mine`: this chat's own requests, newest first. */
  | { type: 'cases.list'; cases: CaseSummary[] }
  /** The answer to `case.lookup` that matched. */
  | { type: 'case.found'; summary: CaseSummary }
  /**
   * The answer to `case.lookup` that did not: a mistyped reference (`typo`, its check digit is
   * wrong), no request with that reference and ID digits (`unknown`), or too many failures
   * this hour (`coolDown`, with `until` in epoch ms).
   */
  | { type: 'case.notFound'; reason: 'typo' | 'unknown' | 'coolDown'; until?: number }
  /** The answer to `case.attach`: how many asked-for documents are still missing. */
  | { type: 'case.attached'; summary: CaseSummary }
  /** The answer to `case.withdraw`; `withdrawn` false when it was already decided. */
  | { type: 'case.withdrawn'; reference: string; withdrawn: boolean }
  /** The answer to `ticketCategories.load`: what a complaint or suggestion may be about. */
  | { type: 'ticketCategories'; categories: CatalogueItem[] }
  /**
   * The answer to `ticket.file`: its reference and the date an answer is expected by (epoch ms).
   * An urgent complaint is queued for staff with priority at once: `queued` is then what the
   * queue said, for the root to hear as a `handoff.queued`.
   */
  | {
      type: 'ticket.filed';
      ticketId: number;
      reference: string;
      dueAt: number;
      urgent: boolean;
      queued?: QueuePlace;
    }
  /** The answer to `tickets.mine`: this chat's own complaints, suggestions and thanks, newest first. */
  | { type: 'tickets.list'; tickets: TicketSummary[] }
  /** The answer to `ticket.lookup` that matched. */
  | { type: 'ticket.found'; summary: TicketSummary }
  /** The answer to `ticket.lookup` that did not: as `case.notFound`. */
  | { type: 'ticket.notFound'; reason: 'typo' | 'unknown' | 'coolDown'; until?: number }
  /** The answer to `ticket.reopen`; `reopened` false when it was not resolved (any more). */
  | { type: 'ticket.reopened'; reference: string; reopened: boolean }
  /** The answer to `privacy.summary`: what is held about this chat's person. */
  | { type: 'privacy.summary'; summary: DataSummary }
  /**
   * The answer to `privacy.verify`: how the person proves the data is theirs — the last four
   * digits of an ID they gave in a request (`id`), or the platform account they write from
   * (`platform`, nothing to type: only the owner of that account can write from it).
   */
  | { type: 'privacy.verification'; method: 'id' | 'platform' }
  /**
   * The answer to `privacy.erase`: done (`erased`, with the request's reference and the date by
   * which staff finish what is outside the chat, epoch ms), or refused — the ID digits do not
   * match (`mismatch`), or too many failures this hour (`coolDown`, `until` in epoch ms).
   */
  | { type: 'privacy.erased'; reference: string; dueAt: number }
  | { type: 'privacy.refused'; reason: 'mismatch' | 'coolDown'; until?: number };

/**
 * What is held about a person, as the chat tells it without further proof of who holds the
 * phone: counts, references and stages, consent decisions — never an ID number, a phone, a
 * description of a need, or the name of a document (health details).
 */
export interface DataSummary {
  /** Conversations (channels) linked to this person, and the messages kept in them. */
  conversations: number;
  messages: number;
  /** Requests, with their stage; complaints, suggestions and thanks, with theirs. */
  cases: { reference: string; stage: string }[];
  tickets: { reference: string; kind: 'complaint' | 'suggestion' | 'thanks'; stage: string }[];
  /** Consent decisions, oldest first (epoch ms). */
  consents: { decision: 'given' | 'declined' | 'withdrawn'; purpose: 'privacy' | 'health'; at: number }[];
  /** Photos and documents kept. */
  documents: number;
  /** An unfinished application is kept. */
  draft: boolean;
  /** Ratings given. */
  ratings: number;
}

/** Every event a flow can receive. */
export type FlowEvent = UserEvent | SystemEvent;

/** Interpolation values for a message; the organisation's profile is always available too. */
export type Params = Record<string, string | number>;

/**
 * An option offered with a reply: a stable id (what the flow sees) and the i18n key of its label,
 * or, for what staff configure (the aid catalogue, the cities), the label in each language.
 */
export interface OptionSpec {
  id: string;
  key: string;
  labels?: Record<Locale, string>;
}

/** An entry of a list staff configure (aid types, documents, cities), named in each language. */
export interface CatalogueItem {
  id: string;
  names: Record<Locale, string>;
  /** A document every application asks for. */
  required?: boolean;
  /** Its stable code where flows recognise it (a complaint category's `delay`, `staffConduct`). */
  code?: string;
  /** A complaint category about a staff member: what is written under it is for managers' eyes only. */
  aboutStaff?: boolean;
}

/** What an aid application has collected so far; every field is set once answered. */
export interface ApplicationAnswers {
  /** Who applies: the person in need, or a relative applying for them. */
  name?: string;
  /** The request is for a family member: `patientName`, `relationship` and the patient's ID are asked. */
  forFamily?: boolean;
  /** Who the patient is to the applicant. */
  relationship?: Relationship;
  patientName?: string;
  /** Ten digits, checked: the ID of the person in need (the applicant's own, or the patient's). */
  nationalId?: string;
  /** E.164. */
  phone?: string;
  /** A city id from the catalogue, or `other:<what they wrote>`. */
  city?: string;
  householdSize?: number;
  /** Riyals a month as digits, or a band id (`band:…`). */
  income?: string;
  aidTypeId?: string;
  description?: string;
  /** For each document asked for: the stored file, or promised for later. */
  documents?: { documentTypeId: string; mediaId?: number; later?: boolean }[];
  healthConsent?: boolean;
  declaration?: boolean;
}

/** Who the patient is to a relative applying for them (the cases table keeps the same five). */
export type Relationship = 'parent' | 'child' | 'spouse' | 'sibling' | 'other';

/** A request as its applicant is told about it. */
export interface CaseSummary {
  caseId: number;
  reference: string;
  stage: string;
  /** Epoch ms of the last change, and of the date the association answers by. */
  changedAt: number;
  dueAt: number;
  aidType: Record<Locale, string>;
  /** The documents a researcher asked for that have not arrived yet. */
  missing: CatalogueItem[];
  visitAt?: number;
  reason?: string;
  /**
   * `false` when the chat only knows the reference and ID digits: it is told what a printed
   * receipt says (the stage and the date), nothing it could act on.
   */
  own?: boolean;
}

/** A complaint, suggestion or thanks as the person who sent it is told about it. */
export interface TicketSummary {
  ticketId: number;
  reference: string;
  kind: 'complaint' | 'suggestion' | 'thanks';
  /** `open`, `in_progress`, `resolved` or `closed`. */
  stage: string;
  /** Epoch ms: when it was sent, when it last changed, when an answer is expected. */
  createdAt: number;
  changedAt: number;
  dueAt: number;
  /**
   * Sent from this chat. Someone else's ticket found by its reference shows its stage and dates
   * only: never its category, its text or its resolution.
   */
  own: boolean;
  category?: Record<Locale, string>;
  /** What was done, as staff wrote it to the person. */
  resolution?: string;
}

/** A complaint, suggestion or thanks as the flow hands it to the engine. */
export interface TicketDraft {
  kind: 'complaint' | 'suggestion' | 'thanks';
  /** A category id from `ticketCategories`. */
  categoryId: string;
  text: string;
  /** A photo the person sent with it. */
  mediaId?: number;
  /** Not linked to the chat (suggestions and thanks only): nobody can answer it. */
  anonymous?: boolean;
  /** The person said it is urgent (the configured words in the text make it urgent too). */
  urgent?: boolean;
}

/**
 * Something to say: an i18n key (`namespace:path`), its parameters and the options to offer.
 * Without `options`, the options of an earlier message stay on offer (a typed "2" still picks
 * the second); an empty list ({@link noOptions}) withdraws them, so what the person types next
 * is read as text.
 */
export interface Reply {
  type: 'reply';
  key: string;
  params?: Params;
  options?: OptionSpec[];
  /**
   * What the person wrote that this reply echoes, marked as their message is: `health` (an
   * application's summary with the need in it), `aboutStaff`. Staff see it as they see the original.
   */
  flag?: 'health' | 'aboutStaff';
}

/**
 * The options of a reply that withdraws every earlier option, e.g. once a person waits for staff:
 * a number they type is then a message for the staff member, not a choice from an old menu.
 */
export const noOptions: readonly OptionSpec[] = [];

/** Work a flow asks the engine to do inside the message's transaction. */
export type EffectRequest =
  | { name: 'locale.set'; locale: Locale }
  /** Keeps a consent decision: to the privacy notice, or (`health`) to the health data of an application. */
  | {
      name: 'consent.record';
      decision: 'given' | 'declined' | 'withdrawn';
      noticeVersion: number;
      purpose?: 'privacy' | 'health';
    }
  | { name: 'timer.set'; key: string; delayMs: number }
  | { name: 'timer.cancel'; key: string }
  /**
   * Asks for the sender's phone as the platform reports it (WhatsApp), e.g. to offer it as default;
   * with `applicant`, also the details of this chat's last application (only an application needs them).
   */
  | { name: 'profile.phone'; applicant?: true }
  /**
   * Queues the conversation for a person (priority 0 normal, 1 urgent, 2 emergency). Asked again
   * while a handoff is open, waiting or claimed, it raises that handoff's priority; with reason
   * `emergency` it marks an emergency message for the staff member. Answered by `handoff.queued`.
   */
  | { name: 'handoff.request'; priority: number; reason: string }
  /** Asks whether staff are at work and how many wait: answered by `staff.availability`. */
  | { name: 'staff.availability' }
  /**
   * Keeps a message the assistant did not understand, anonymised, for managers to teach it (the
   * console's "missed questions").
   */
  /**
   * A message for managers to teach: not understood, or `unhelpful` (an answer to it was rated
   * «لم تُفدني»), or `changed` (read as a service the person left at once).
   */
  | { name: 'understanding.missed'; text: string; lang?: Locale; reason?: 'unclear' | 'unhelpful' | 'changed' }
  /** The person leaves the queue (or the conversation with staff). */
  | { name: 'handoff.cancel' }
  /** Nobody claimed the handoff in time: highlight it for staff. */
  | { name: 'handoff.overdue' }
  /**
   * Keeps a rating (1–5, or null when skipped) of a service and an optional comment, against the
   * item rated and the staff member whose work it was.
   */
  | {
      name: 'rating.record';
      subject: 'handoff' | 'ticket' | 'case' | 'faq';
      subjectId: number;
      score: number | null;
      comment?: string;
      staffUserId?: number;
    }
  /**
   * Notes that a rating of an item is being asked for (once per item; FAQ answers are rated
   * without asking): answered by `rating.asked`.
   */
  | { name: 'rating.ask'; subject: 'handoff' | 'ticket' | 'case'; subjectId: number; staffUserId?: number }
  /** Asks for the aid catalogue, the documents and the cities: answered by `catalogue`. */
  | { name: 'catalogue.load' }
  /** Keeps an unfinished application's answers outside the snapshot (a draft row). */
  | { name: 'draft.save'; answers: ApplicationAnswers }
  /** Asks for this chat's unfinished application: answered by `draft.loaded`. */
  | { name: 'draft.load' }
  /** Forgets the draft (submitted, or the person started over or cancelled). */
  | { name: 'draft.clear' }
  /** Submits a complete application: answered by `case.submitted` or `case.duplicate`. */
  | { name: 'case.submit'; answers: ApplicationAnswers }
  /** Asks for this chat's own requests: answered by `cases.list`. */
  | { name: 'cases.mine' }
  /** Looks a request up by its reference and the last four digits of the ID: `case.found` or `case.notFound`. */
  | { name: 'case.lookup'; reference: string; lastFour: string }
  /** Attaches a file the person sent to their request (a missing document): answered by `case.attached`. */
  | { name: 'case.attach'; caseId: number; mediaId: number; documentTypeId?: string }
  /** The applicant withdraws a request not yet decided: answered by `case.withdrawn`. */
  | { name: 'case.withdraw'; caseId: number }
  /**
   * A permanent beneficiary's periodic review: no change renews the review date; a change opens a
   * review task for staff with what they updated.
   */
  | { name: 'review.answer'; caseId: number; changed: boolean; answers?: ApplicationAnswers }
  /** Asks for the complaint and suggestion categories: answered by `ticketCategories`. */
  | { name: 'ticketCategories.load' }
  /** Files a complaint, suggestion or thanks: answered by `ticket.filed`. */
  | { name: 'ticket.file'; ticket: TicketDraft }
  /** Asks for this chat's own tickets: answered by `tickets.list`. */
  | { name: 'tickets.mine' }
  /** Looks a ticket up by its reference (`C-…`): `ticket.found` or `ticket.notFound`. */
  | { name: 'ticket.lookup'; reference: string }
  /** The person says their resolved complaint is not solved (and why): answered by `ticket.reopened`. */
  | { name: 'ticket.reopen'; ticketId: number; note?: string }
  /** What is held about this chat's person (a data access request, kept): answered by `privacy.summary`. */
  | { name: 'privacy.summary' }
  /** How the person must prove the data is theirs before erasing it: answered by `privacy.verification`. */
  | { name: 'privacy.verify' }
  /**
   * Erases or anonymises the person's data (`lastFour`: the ID digits they typed, when asked) and
   * files an erasure request for staff to finish: answered by `privacy.erased` or `privacy.refused`.
   */
  | { name: 'privacy.erase'; lastFour?: string }
  /**
   * Withdraws the privacy consent and stops processing beyond answering: the unfinished
   * application is forgotten, periodic reviews and rating questions stop, no notice is sent.
   */
  | { name: 'privacy.withdraw'; noticeVersion: number };

/** The emitted form of an {@link EffectRequest}. */
export type Effect = { type: 'effect' } & EffectRequest;

/** Everything a flow emits. */
export type FlowOutput = Reply | Effect;

/**
 * What the intake tells its parents while it waits for a free description of a need or health
 * condition: words of emergency there are taken as the description (with the 911/997 advice),
 * not as a call for help that would stop the application.
 */
export interface DescribingNotice {
  type: 'describing';
  on: boolean;
}

/** What a child flow sends its parent to ask for a person; the root queues the conversation. */
export interface HandoffRequest {
  type: 'handoff.request';
  priority: number;
  reason: string;
}

/** Builds a reply event; `options` become buttons or a numbered list depending on the channel. */
export function reply(key: string, options?: readonly OptionSpec[], params?: Params): Reply {
  return { type: 'reply', key, ...(options ? { options: [...options] } : {}), ...(params ? { params } : {}) };
}

/** Builds an effect event. */
export function effect(request: EffectRequest): Effect {
  return { type: 'effect', ...request };
}

/** Builds a request for a person, sent by a child flow to the root (priority 0 = normal). */
export function handoffRequest(reason: string, priority = 0): HandoffRequest {
  return { type: 'handoff.request', priority, reason };
}

/** The durable timer that tells a waiting person again, and flags them for staff, when nobody answers. */
export const handoffNoAnswerTimer = 'handoff.noAnswer';

/** The durable timer of a permanent beneficiary's periodic review: `case.review:<caseId>`. */
export const reviewTimerPrefix = 'case.review:';
