import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type DataSummary, reply, type SystemEvent } from '../../flows/events.ts';
import { audit } from '../db/audit.ts';
import { deleteDraft } from '../db/cases.ts';
import type { Db } from '../db/client.ts';
import { recordConsent } from '../db/consents.ts';
import type { Conversation } from '../db/conversations.ts';
import {
  beneficiaryOf,
  type DataRequestRow,
  eraseBeneficiary,
  eraseConversationData,
  findDataRequest,
  finishDataRequest,
  heldAbout,
  insertDataRequest,
  nationalIdsOf,
  openErasureOf,
  stopReviews,
} from '../db/dataRequests.ts';
import { may, type Role } from '../domain/permissions.ts';
import type { Engine } from '../engine/engine.ts';
import { lookupGuard } from './references.ts';

/** What the privacy module needs to know. */
export interface PrivacySettings {
  /** Where stored files live (`media.path` is relative to it). */
  dataDir: string;
}

/** The PDPL's time to answer a data subject's request: 30 calendar days. */
export const dataRequestDays = 30;
const dayMs = 86_400_000;

/** The reference a person and staff quote for a data request: `D-00012`. */
export function dataRequestReference(row: Pick<DataRequestRow, 'id'>): string {
  return `D-${String(row.id).padStart(5, '0')}`;
}

/** The id in a reference written by staff or the person (`D-00012`, `d12`, `12`). */
export function dataRequestIdOf(reference: string): number | undefined {
  const digits = reference.replace(/^\s*d-?/i, '').trim();
  return /^\d{1,9}$/.test(digits) ? Number(digits) : undefined;
}

type Events<T extends SystemEvent['type']> = Extract<SystemEvent, { type: T }>;

// ---- the person's side: called by flow effects, inside the conversation's turn ----

/**
 * What is held about the chat's person, for the chat to tell without more proof than the
 * platform account: counts, references and stages, consent decisions; never an ID number, a
 * phone, a description of a need or a document's name — health details stay out of it, since
 * whoever holds the phone reads the answer. The access is filed (done at once) and audited.
 */
export function summariseData(tx: Db, conversation: Conversation, now: Date): Events<'privacy.summary'> {
  const held = heldAbout(tx, conversation.id);
  const summary: DataSummary = {
    conversations: 1,
    messages: held.messages,
    cases: held.cases,
    tickets: held.tickets,
    consents: held.consents.map((c) => ({ decision: c.decision, purpose: c.purpose, at: c.at.getTime() })),
    documents: held.documents,
    draft: held.draft,
    ratings: held.ratings,
  };
  const row = insertDataRequest(tx, {
    conversationId: conversation.id,
    channel: conversation.channel,
    kind: 'access',
    status: 'done',
    verifiedBy: 'platform',
    createdAt: now,
    dueAt: new Date(now.getTime() + dataRequestDays * dayMs),
    doneAt: now,
    details: { messages: held.messages, cases: held.cases.length, tickets: held.tickets.length },
  });
  audit(tx, { staffUserId: null, action: 'privacy.access', objectType: 'dataRequest', objectId: row.id });
  return { type: 'privacy.summary', summary };
}

/**
 * How the person proves the data is theirs before it is erased: the last four digits of an ID
 * they gave in a request from this chat; with none, the platform account they write from.
 */
export function verificationFor(tx: Db, conversation: Conversation): Events<'privacy.verification'> {
  return { type: 'privacy.verification', method: nationalIdsOf(tx, conversation.id).length > 0 ? 'id' : 'platform' };
}

/**
 * Erases or anonymises the chat's personal data once the person is verified (the ID's last
 * four digits, checked against every ID this chat gave; failures count in the follow-up's
 * cool-down, five an hour), withdraws their consent, and files an erasure request for staff to
 * finish what lies outside the chat within 30 days. Files leave the disk at once.
 */
export function eraseData(
  tx: Db,
  conversation: Conversation,
  request: { lastFour?: string },
  now: Date,
  settings: PrivacySettings,
): Events<'privacy.erased'> | Events<'privacy.refused'> {
  const ids = nationalIdsOf(tx, conversation.id);
  if (ids.length > 0) {
    const guard = lookupGuard(tx, conversation.id, now);
    if (guard.waitUntil !== undefined) return { type: 'privacy.refused', reason: 'coolDown', until: guard.waitUntil };
    const typed = toLatinDigits(request.lastFour ?? '').replace(/\D/g, '');
    if (typed.length !== 4 || !ids.some((id) => id.endsWith(typed))) {
      guard.fail();
      return { type: 'privacy.refused', reason: 'mismatch' };
    }
  }
  const report = eraseConversationData(tx, conversation.id);
  withdrawConsent(tx, conversation, 1);
  const { paths, ...details } = report;
  const beneficiary = beneficiaryOf(tx, conversation.id);
  const earlier = openErasureOf(tx, conversation.id);
  const row =
    earlier ??
    insertDataRequest(tx, {
      conversationId: conversation.id,
      channel: conversation.channel,
      kind: 'erasure',
      verifiedBy: ids.length > 0 ? 'id' : 'platform',
      createdAt: now,
      dueAt: new Date(now.getTime() + dataRequestDays * dayMs),
      details: { ...details, beneficiary: beneficiary !== undefined },
    });
  audit(tx, {
    staffUserId: null,
    action: 'privacy.erase',
    objectType: 'dataRequest',
    objectId: row.id,
    details: { messages: report.messages, files: report.files, cases: own(report), tickets: report.tickets.length },
  });
  removeFiles(settings.dataDir, paths);
  return { type: 'privacy.erased', reference: dataRequestReference(row), dueAt: row.dueAt.getTime() };
}

/**
 * Withdraws the privacy consent (and the health consent, when it was given) and stops the
 * processing that rests on it: the unfinished application is forgotten and periodic reviews
 * stop; with the latest decision not consent, no notice of a change reaches the chat (cases and
 * tickets check it) and what is sent next under the person's name asks for consent again.
 */
export function withdrawConsent(tx: Db, conversation: Conversation, noticeVersion: number): void {
  recordConsent(tx, conversation.id, 'withdrawn', noticeVersion, 'privacy');
  recordConsent(tx, conversation.id, 'withdrawn', noticeVersion, 'health');
  deleteDraft(tx, conversation.id);
  stopReviews(tx, conversation.id);
}

const own = (report: { casesAnonymised: string[]; casesKept: string[] }) =>
  report.casesAnonymised.length + report.casesKept.length;

/** Arabic-Indic and Persian digits as Latin ones. */
function toLatinDigits(text: string): string {
  return text.replace(/[٠-٩۰-۹]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** Removes stored files; one already gone is no failure. */
function removeFiles(dataDir: string, paths: readonly string[]): void {
  for (const path of paths) {
    if (path.includes('..')) continue;
    rmSync(join(dataDir, path), { force: true });
  }
}

// ---- the staff side: called by the console, run in the conversation's turn ----

/** Who asks for a data request command. */
export interface PrivacyActor {
  id: number;
  role: Role;
}

/**
 * How finishing a request ended: `done`, or `none` (no such request, or the role may not see
 * requests), `taken` (it is done already).
 */
export type PrivacyResult = 'done' | 'none' | 'taken';

/**
 * The one owner of data requests on the staff side. Finishing an erasure erases the chat once
 * more (what arrived since), the beneficiary record it was linked to and its contacts, marks
 * the request done with what staff did outside the chat (papers, other systems), audits it,
 * and tells the person on their chat in their language — their answer is due whatever their
 * consent, which they withdrew by asking.
 */
export class PrivacyDesk {
  constructor(
    private readonly engine: Pick<Engine, 'act'>,
    private readonly db: Db,
    private readonly settings: PrivacySettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async complete(requestId: number, staff: PrivacyActor, note: string): Promise<PrivacyResult> {
    if (!may(staff.role, 'privacy')) return 'none';
    const known = findDataRequest(this.db, requestId);
    if (!known) return 'none';
    let result: PrivacyResult = 'none';
    const finish = (tx: Db, conversation: Conversation | undefined) => {
      const row = findDataRequest(tx, requestId);
      if (!row) return undefined;
      if (row.status !== 'open') {
        result = 'taken';
        return undefined;
      }
      const now = this.clock();
      let details: Record<string, unknown> = { ...(row.details ?? {}) };
      if (row.kind === 'erasure' && conversation) {
        const beneficiary = beneficiaryOf(tx, conversation.id);
        if (beneficiary) eraseBeneficiary(tx, beneficiary.id);
        const { paths, ...again } = eraseConversationData(tx, conversation.id);
        removeFiles(this.settings.dataDir, paths);
        details = { ...details, completion: { ...again, beneficiary: beneficiary !== undefined } };
      }
      if (!finishDataRequest(tx, row.id, staff.id, now, note.trim().slice(0, 2000) || null, details)) {
        result = 'taken';
        return undefined;
      }
      audit(tx, {
        staffUserId: staff.id,
        action: 'privacy.complete',
        objectType: 'dataRequest',
        objectId: row.id,
        details: { kind: row.kind },
      });
      result = 'done';
      return conversation && conversation.status === 'active'
        ? reply('privacy:notify.completed', undefined, { reference: dataRequestReference(row) })
        : undefined;
    };
    if (known.conversationId === null) this.db.transaction((tx) => void finish(tx, undefined));
    else
      await this.engine.act(known.conversationId, (tx, conversation) => {
        const notice = finish(tx, conversation);
        return notice ? { replies: [notice] } : {};
      });
    return result;
  }
}
