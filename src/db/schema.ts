import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { caseStages } from '../domain/caseStages.ts';
import type { OutboundMessage, ShownOption } from '../domain/messages.ts';
import { missedReasons } from '../domain/missedReasons.ts';
import { roles } from '../domain/permissions.ts';
import { relationships } from '../domain/relationships.ts';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now);

/** One beneficiary's chat on one channel, with the dialog's persisted state. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    locale: text('locale').notNull().default('ar'),
    /** The version of the root flow that wrote `snapshot`; a mismatch restarts the dialog. */
    flowVersion: integer('flow_version').notNull(),
    /** XState persisted snapshot of the root actor, as JSON text: parsed only when an actor is restored. */
    snapshot: text('snapshot'),
    /** The options last shown, so that a typed number or label can be read as a choice. */
    options: text('options', { mode: 'json' }).$type<ShownOption[]>().notNull().default(sql`'[]'`),
    /** The sender's phone (E.164) as the platform reports it (WhatsApp); sensitive, never logged. */
    platformPhone: text('platform_phone'),
    /** The name the person shows on the platform (Telegram name, WhatsApp profile); sensitive. */
    profileName: text('profile_name'),
    /** The beneficiary staff linked this chat to, if any. */
    beneficiaryId: integer('beneficiary_id'),
    /** `unreachable` once the platform says the user blocked us; no reply is attempted then. */
    status: text('status', { enum: ['active', 'unreachable'] })
      .notNull()
      .default('active'),
    /**
     * The flood guard's window: when its first message was sent (epoch ms) and how many messages
     * the chat sent since, so that a message needs no count over what came before it.
     */
    floodSince: integer('flood_since').notNull().default(0),
    floodCount: integer('flood_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('conversations_channel_chat').on(t.channel, t.chatId)],
);

/** Every inbound message id ever accepted, so that a redelivered message is dropped. */
export const processedInbound = sqliteTable(
  'processed_inbound',
  {
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  // No index by conversation: the flood guard counts on the conversation row, and conversations
  // are never deleted; one index less to write for every message.
  (t) => [primaryKey({ columns: [t.channel, t.messageId] })],
);

/** Every message in and out of a conversation, as sent and received (original text). */
export const transcript = sqliteTable(
  'transcript',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    author: text('author', { enum: ['user', 'bot', 'staff', 'system'] }).notNull(),
    /** Inbound kind (text, choice, media…) or `message` for outbound. */
    kind: text('kind').notNull(),
    text: text('text'),
    /** Structured extras: a choice id, media id, location, the options shown. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    messageId: text('message_id'),
    createdAt: createdAt(),
  },
  (t) => [index('transcript_conversation').on(t.conversationId, t.id)],
);

/** Replies waiting to be delivered; drained per channel with retries and back-off. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    payload: text('payload', { mode: 'json' }).$type<OutboundMessage>().notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull().default(now),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    // The drainer walks a channel's pending replies in the order they were queued (and finds the next due).
    index('outbox_queue').on(t.channel, t.status, t.id),
    index('outbox_conversation').on(t.conversationId, t.status, t.id),
  ],
);

/** Durable deadlines: XState `after` transitions do not survive a restore, these do. */
export const timers = sqliteTable(
  'timers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    fireAt: integer('fire_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('timers_conversation_key').on(t.conversationId, t.key), index('timers_due').on(t.fireAt)],
);

/** Each privacy-notice decision, kept as evidence of consent under the PDPL. */
export const consents = sqliteTable('consents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: integer('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  decision: text('decision', { enum: ['given', 'declined', 'withdrawn'] }).notNull(),
  /** What it was asked for: the privacy notice, or the health data an aid application needs. */
  purpose: text('purpose', { enum: ['privacy', 'health'] })
    .notNull()
    .default('privacy'),
  noticeVersion: integer('notice_version').notNull(),
  createdAt: createdAt(),
});

/** A file a beneficiary sent (photo, document, voice note), stored under DATA_DIR/media. */
export const media = sqliteTable('media', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: integer('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['photo', 'document', 'voice', 'video'] }).notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  /** Path relative to DATA_DIR; the file itself is sensitive and only served to logged-in staff. */
  path: text('path').notNull(),
  fileName: text('file_name'),
  createdAt: createdAt(),
});

/** A request for a person: waiting in the queue → claimed by a staff member → closed. */
export const handoffs = sqliteTable(
  'handoffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['waiting', 'claimed', 'closed'] })
      .notNull()
      .default('waiting'),
    /** 0 normal, 1 urgent, 2 emergency: higher is served first. */
    priority: integer('priority').notNull().default(0),
    reason: text('reason').notNull(),
    claimedBy: integer('claimed_by').references(() => staffUsers.id),
    /** Nobody claimed it in time: shown highlighted in the queue. */
    overdue: integer('overdue', { mode: 'boolean' }).notNull().default(false),
    closedBy: text('closed_by', { enum: ['staff', 'user'] }),
    createdAt: createdAt(),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('handoffs_one_open').on(t.conversationId).where(sql`status != 'closed'`),
    index('handoffs_queue').on(t.status, t.priority, t.id),
  ],
);

/** A beneficiary's rating of a service (1–5); a right, for improvement, never for blame. */
export const ratings = sqliteTable(
  'ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** What was rated: a conversation with staff, a resolved complaint, a served case, an FAQ answer. */
    subject: text('subject', { enum: ['handoff', 'ticket', 'case', 'faq'] }).notNull(),
    subjectId: integer('subject_id').notNull(),
    /** The staff member whose work it was (for managers' aggregates; never shown to that member). */
    staffUserId: integer('staff_user_id').references(() => staffUsers.id),
    channel: text('channel').notNull().default(''),
    /** 1–5; null while asked and not answered (or skipped). */
    score: integer('score'),
    comment: text('comment'),
    askedAt: integer('asked_at', { mode: 'timestamp_ms' }).notNull().default(now),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  // Asked once per item (FAQ answers excepted: each answer may be rated).
  (t) => [uniqueIndex('ratings_once').on(t.subject, t.subjectId).where(sql`subject != 'faq'`)],
);

/** A staff member's account in the console. */
export const staffUsers = sqliteTable('staff_users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: roles }).notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  /** Set when an admin reset the password: the next login must choose a new one. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

/** A logged-in browser; the cookie holds a random token whose SHA-256 is the id. */
export const staffSessions = sqliteTable('staff_sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: createdAt(),
  lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Who saw or changed what, when. Append-only: a trigger refuses updates and deletes. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    staffUserId: integer('staff_user_id').references(() => staffUsers.id),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    /** What changed, without personal data values. */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_object').on(t.objectType, t.objectId)],
);

/** Ready answers staff pick from when replying. */
export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdBy: integer('created_by').references(() => staffUsers.id),
  createdAt: createdAt(),
});

/** Internal notes on a conversation; the beneficiary never sees them. */
export const notes = sqliteTable('notes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: integer('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  staffUserId: integer('staff_user_id')
    .notNull()
    .references(() => staffUsers.id),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/** A person the association serves, across channels; conversations and contacts link to it. */
export const beneficiaries = sqliteTable('beneficiaries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** E.164. */
  phone: text('phone'),
  createdAt: createdAt(),
});

/** A contact made outside the chat: a visit, a call, a letter, social media, the website. */
export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  beneficiaryId: integer('beneficiary_id')
    .notNull()
    .references(() => beneficiaries.id, { onDelete: 'cascade' }),
  channel: text('channel', { enum: ['visit', 'phone', 'letter', 'social', 'website'] }).notNull(),
  summary: text('summary').notNull(),
  staffUserId: integer('staff_user_id')
    .notNull()
    .references(() => staffUsers.id),
  createdAt: createdAt(),
});

/** What the association gives (the aid catalogue), editable by managers in both languages. */
export const aidTypes = sqliteTable('aid_types', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** A stable code (`devices`, `medicines`…); the seed rows' names come from the locales. */
  code: text('code').notNull().unique(),
  nameAr: text('name_ar').notNull(),
  nameEn: text('name_en').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  position: integer('position').notNull().default(0),
});

/** The documents an application may need (ID, medical report, income proof…), editable likewise. */
export const documentTypes = sqliteTable('document_types', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  nameAr: text('name_ar').notNull(),
  nameEn: text('name_en').notNull(),
  /** Asked for in every application (the others only when a researcher asks). */
  required: integer('required', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  position: integer('position').notNull().default(0),
});

/** An aid request (a case): the applicant's answers and where it stands. Sensitive throughout. */
export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `A-48-00042-7`: what the applicant quotes. */
    reference: text('reference').notNull().unique(),
    /** The chat it came from and is answered on; null for a request taken at the office or by phone. */
    conversationId: integer('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    /** How it came: in a chat, at the office, by phone. */
    source: text('source', { enum: ['chat', 'visit', 'phone'] }).notNull(),
    beneficiaryId: integer('beneficiary_id').references(() => beneficiaries.id),
    /** Who applied: the person in need, or the relative applying for them (then `patientName` is set). */
    applicantName: text('applicant_name').notNull(),
    /** The person in need when a relative applied for them, and who they are to the applicant. */
    patientName: text('patient_name'),
    relationship: text('relationship', { enum: relationships }),
    /** The ID of the person in need: the applicant's own, or the patient's. */
    nationalId: text('national_id').notNull(),
    /** E.164. */
    phone: text('phone').notNull(),
    city: text('city').notNull(),
    householdSize: integer('household_size').notNull(),
    /** Monthly household income in riyals, or a band (`band:0-3000`) when that is what was given. */
    income: text('income').notNull(),
    aidTypeId: integer('aid_type_id')
      .notNull()
      .references(() => aidTypes.id),
    description: text('description').notNull(),
    /** The language the applicant is told of changes in. */
    locale: text('locale').notNull().default('ar'),
    stage: text('stage', { enum: caseStages }).notNull().default('submitted'),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    /** The date by which the association answers (the policy: two weeks). */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the stage last changed. */
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
    visitAt: integer('visit_at', { mode: 'timestamp_ms' }),
    /** Why a request was not approved, as told to the applicant. */
    decisionReason: text('decision_reason'),
    /** A permanent beneficiary, reviewed every REVIEW_INTERVAL_DAYS. */
    permanent: integer('permanent', { mode: 'boolean' }).notNull().default(false),
    nextReviewAt: integer('next_review_at', { mode: 'timestamp_ms' }),
    /** The applicant could not be told of a change on their chat: someone should phone them. */
    needsCall: integer('needs_call', { mode: 'boolean' }).notNull().default(false),
    createdBy: integer('created_by').references(() => staffUsers.id),
  },
  (t) => [
    index('cases_stage').on(t.stage, t.dueAt),
    index('cases_national_id').on(t.nationalId, t.aidTypeId),
    index('cases_conversation').on(t.conversationId),
  ],
);

/** Every move of a case: from, to, by whom (null: the applicant or the system), when, why. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage', { enum: caseStages }),
    toStage: text('to_stage', { enum: caseStages }).notNull(),
    staffUserId: integer('staff_user_id').references(() => staffUsers.id),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('case_events_case').on(t.caseId, t.id)],
);

/**
 * A document of a case: received (a stored file, or seen at the office), promised for later, or
 * asked for by a researcher and still missing.
 */
export const caseDocuments = sqliteTable(
  'case_documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    documentTypeId: integer('document_type_id').references(() => documentTypes.id),
    mediaId: integer('media_id').references(() => media.id),
    status: text('status', { enum: ['received', 'later', 'missing'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_documents_case').on(t.caseId)],
);

/** Internal notes on a case (never sent to the applicant). */
export const caseNotes = sqliteTable('case_notes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseId: integer('case_id')
    .notNull()
    .references(() => cases.id, { onDelete: 'cascade' }),
  staffUserId: integer('staff_user_id')
    .notNull()
    .references(() => staffUsers.id),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/**
 * What a person has answered so far in an application, outside the conversation's snapshot: a
 * new version of the flows, or a snapshot that cannot be restored, never loses it.
 */
export const applicationDrafts = sqliteTable('application_drafts', {
  conversationId: integer('conversation_id')
    .primaryKey()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  answers: text('answers', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** The next sequence number of each kind of reference, per Hijri year. */
export const referenceCounters = sqliteTable(
  'reference_counters',
  {
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    next: integer('next').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.year] })],
);

/** A periodic review of a permanent beneficiary whose circumstances changed: a task for staff. */
export const reviewTasks = sqliteTable('review_tasks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseId: integer('case_id')
    .notNull()
    .references(() => cases.id, { onDelete: 'cascade' }),
  /** What the beneficiary updated: household, income, need. */
  answers: text('answers', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  doneBy: integer('done_by').references(() => staffUsers.id),
});

/** A failed follow-up lookup (wrong reference or ID digits) by a chat: five an hour cool it down. */
export const lookupFailures = sqliteTable(
  'lookup_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('lookup_failures_recent').on(t.conversationId, t.createdAt)],
);

/** Complaint and suggestion categories, editable by managers in both languages. */
export const ticketCategories = sqliteTable('ticket_categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  nameAr: text('name_ar').notNull(),
  nameEn: text('name_en').notNull(),
  /** Complaints about a staff member: visible to managers only. */
  aboutStaff: integer('about_staff', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  position: integer('position').notNull().default(0),
});

/** A complaint, a suggestion or thanks (a ticket): what was said and where it stands. */
export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `C-48-00007-3`. */
    reference: text('reference').notNull().unique(),
    /** The chat it came from and is answered on; null for an anonymous suggestion or thanks. */
    conversationId: integer('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['complaint', 'suggestion', 'thanks'] }).notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => ticketCategories.id),
    text: text('text').notNull(),
    mediaId: integer('media_id').references(() => media.id),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    urgent: integer('urgent', { mode: 'boolean' }).notNull().default(false),
    stage: text('stage', { enum: ['open', 'in_progress', 'resolved', 'closed'] })
      .notNull()
      .default('open'),
    assignedTo: integer('assigned_to').references(() => staffUsers.id),
    /** What was done, as told to the person. */
    resolution: text('resolution'),
    locale: text('locale').notNull().default('ar'),
    createdAt: createdAt(),
    /** When an answer is expected (working days on the Sunday–Thursday week). */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('tickets_stage').on(t.stage, t.dueAt), index('tickets_conversation').on(t.conversationId)],
);

/** Every move of a ticket: from, to, by whom (null: the person), when, note. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    staffUserId: integer('staff_user_id').references(() => staffUsers.id),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_events_ticket').on(t.ticketId, t.id)],
);

/**
 * The WhatsApp ids one person writes from: WhatsApp moves people from their phone id (`…@c.us`)
 * to a private one (`…@lid`), and both lead to the same conversation. Sensitive, never logged.
 */
export const whatsappAliases = sqliteTable(
  'whatsapp_aliases',
  {
    /** A WhatsApp id: `9665…@c.us` (the phone) or `…@lid`. */
    wid: text('wid').primaryKey(),
    /** The `chat_id` of the WhatsApp conversation this id belongs to. */
    chatId: text('chat_id').notNull(),
    /** The person's phone in E.164, once WhatsApp told it. */
    phone: text('phone'),
    /** When a message last came from this id: replies go to the id that wrote last. */
    lastMessageAt: integer('last_message_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('whatsapp_aliases_chat').on(t.chatId, t.lastMessageAt)],
);

/**
 * Messages the assistant did not understand, anonymised (numbers and addresses masked, no chat
 * linked), one row per wording with how often it came. A manager assigning one to an intent adds
 * it to the phrases the classifier learns from.
 */
export const missedMessages = sqliteTable(
  'missed_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    lang: text('lang', { enum: ['ar', 'en'] }).notNull(),
    text: text('text').notNull(),
    count: integer('count').notNull().default(1),
    lastAt: integer('last_at', { mode: 'timestamp_ms' }).notNull().default(now),
    /**
     * Why it is here, the last time it came: not understood, answered but rated «لم تُفدني», or
     * read as a service the person left at once for another.
     */
    reason: text('reason', { enum: missedReasons }).notNull().default('unclear'),
    /** The intent a manager taught it as; null while it waits. */
    intent: text('intent'),
    assignedBy: integer('assigned_by').references(() => staffUsers.id),
    assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('missed_messages_lang_text').on(t.lang, t.text),
    index('missed_messages_waiting').on(t.intent, t.count),
  ],
);

/**
 * A person's request under the PDPL, made in the chat: to see what is held about them
 * (`access`, answered at once with a summary) or to have it erased (`erasure`: what is in the
 * chat is erased or anonymised at once; staff finish what lies outside it — a beneficiary
 * record, contacts, papers — and mark it done). The law gives 30 days (`dueAt`).
 */
export const dataRequests = sqliteTable(
  'data_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The chat it came from (its personal data is gone after an erasure; the row stays for staff). */
    conversationId: integer('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    kind: text('kind', { enum: ['access', 'erasure'] }).notNull(),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    /** How the person proved the data was theirs: the ID's last four digits, or the platform account. */
    verifiedBy: text('verified_by', { enum: ['id', 'platform'] }),
    /** What was erased or kept, as counts and references (no personal values). */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    /** The law's 30 calendar days from the request. */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
    doneBy: integer('done_by').references(() => staffUsers.id),
    /** What staff did outside the chat, in their words. */
    note: text('note'),
  },
  (t) => [
    index('data_requests_status').on(t.status, t.dueAt),
    index('data_requests_conversation').on(t.conversationId),
  ],
);
