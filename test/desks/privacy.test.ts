import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplicationAnswers } from '../../flows/events.ts';
import { readAudit } from '../../src/db/audit.ts';
import { findCase, listAidTypes, listDocumentTypes, moveCase } from '../../src/db/cases.ts';
import { hasConsent } from '../../src/db/consents.ts';
import { type Conversation, findConversation, findConversationById } from '../../src/db/conversations.ts';
import { findDataRequest, listDataRequests } from '../../src/db/dataRequests.ts';
import { recordMedia } from '../../src/db/media.ts';
import { beneficiaries, consents, contacts, media, ratings, transcript } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { createBeneficiary, linkConversation } from '../../src/db/staffWork.ts';
import { findTicket, listTicketCategories } from '../../src/db/tickets.ts';
import { appendTranscript } from '../../src/db/transcript.ts';
import { submitApplication } from '../../src/desks/cases.ts';
import { createEffects, effectSettingsOf } from '../../src/desks/effects.ts';
import { PrivacyDesk } from '../../src/desks/privacy.ts';
import { fileTicket } from '../../src/desks/tickets.ts';
import type { roles } from '../../src/domain/permissions.ts';
import { config, setup, tempDir } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) d.remove();
});

/** Wednesday 25 November 2026, 10:00 in Riyadh. */
const wednesday = new Date('2026-11-25T07:00:00Z');
const dayMs = 86_400_000;

function privacySetup() {
  const now = wednesday.getTime();
  const clock = () => new Date(now);
  const temp = tempDir();
  dirs.push(temp);
  const settings = effectSettingsOf({ ...config, dataDir: temp.dir });
  const s = setup({ clock, dir: temp.dir, effects: createEffects(settings) });
  open.push(s);
  const desk = new PrivacyDesk(s.engine, s.db, settings.privacy, clock);
  const staff = (username: string, role: (typeof roles)[number]) => {
    const user = createStaffUser(s.db, { username, displayName: username, role, passwordHash: 'x' });
    return { id: user.id, role: user.role };
  };
  const chat = async (id: string) => {
    await s.say(id, 'السلام عليكم', '1');
    return findConversation(s.db, 'test', id)!;
  };
  /** A photo this chat sent, stored on the disk. */
  const photo = (conversation: Conversation, name: string) => {
    const path = join('media', `${name}.jpg`);
    mkdirSync(join(temp.dir, 'media'), { recursive: true });
    writeFileSync(join(temp.dir, path), 'jpeg bytes');
    const id = recordMedia(s.db, {
      conversationId: conversation.id,
      kind: 'photo',
      mime: 'image/jpeg',
      size: 10,
      sha256: name,
      path,
    });
    return { id, file: join(temp.dir, path) };
  };
  const [devices] = listAidTypes(s.db);
  const [idDocument] = listDocumentTypes(s.db);
  const apply = (conversation: Conversation, mediaId: number, overrides: ApplicationAnswers = {}) =>
    s.db.transaction((tx) =>
      submitApplication(
        tx,
        conversation,
        {
          name: 'فاطمة علي القحطاني',
          nationalId: '1234567897',
          phone: '+966501234567',
          city: 'buraydah',
          householdSize: 5,
          income: '3000',
          aidTypeId: String(devices?.id),
          description: 'والدتي مصابة بجلطة وتحتاج كرسيًا متحركًا',
          documents: [{ documentTypeId: String(idDocument?.id), mediaId }],
          healthConsent: true,
          declaration: true,
          ...overrides,
        },
        clock(),
        settings.cases,
      ),
    ) as { caseId: number; reference: string };
  const complain = (conversation: Conversation) =>
    s.db.transaction((tx) =>
      fileTicket(
        tx,
        conversation,
        {
          kind: 'complaint',
          categoryId: String(listTicketCategories(tx).find((c) => c.code === 'delay')?.id),
          text: 'اتصلت على جوالي ٠٥٠١٢٣٤٥٦٧ ولم يرد أحد',
        },
        clock(),
        settings.tickets,
      ),
    );
  const said = async (chatId: string) => {
    await s.drainer.drain();
    return s.channel.texts(chatId);
  };
  return { ...s, desk, staff, chat, photo, apply, complain, said, clock, effects: createEffects(settings) };
}

describe('data requests (the privacy module)', () => {
  it('should tell «بياناتي» the references and stages, never the ID, the phone or the need, and file the access', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p1');
    const { id } = s.photo(conversation, 'p1');
    const { reference } = s.apply(conversation, id);
    await s.say('p1', 'بياناتي');
    const text = (await s.said('p1')).at(-1) ?? '';
    expect(text).toContain(reference);
    expect(text).toContain('تم استلام طلبك');
    for (const secret of ['1234567897', '7897', '٧٨٩٧', 'فاطمة', 'جلطة', '0501234567', '٠٥٠١٢٣٤٥٦٧']) {
      expect(text).not.toContain(secret);
    }
    expect(listDataRequests(s.db)).toMatchObject([{ kind: 'access', status: 'done', channel: 'test' }]);
    expect(readAudit(s.db).map((r) => r.entry.action)).toContain('privacy.access');
  });

  it('should erase the chat once the ID digits match: transcript, files, the request and complaint anonymised, consent withdrawn, 30 days for staff', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p2');
    const { id, file } = s.photo(conversation, 'p2');
    // A city typed in may be a street: it goes with the rest.
    const { caseId, reference } = s.apply(conversation, id, { city: 'other:حي الريان شارع ١٢' });
    const { ticketId } = s.complain(conversation);
    await s.say('p2', 'احذف بياناتي', '1');
    expect((await s.said('p2')).at(-1)).toContain('آخر أربعة أرقام');
    await s.say('p2', '1111');
    expect(existsSync(file)).toBe(true);
    expect(findCase(s.db, caseId)?.applicantName).toBe('فاطمة علي القحطاني');
    await s.say('p2', '٧٨٩٧');
    const told = (await s.said('p2')).at(-1) ?? '';
    expect(told).toContain('D-00001');

    const row = findCase(s.db, caseId)!;
    expect(row).toMatchObject({ reference, conversationId: null, nationalId: '', stage: 'closed', phone: '—' });
    expect(row.city).toBe('other');
    expect(row.applicantName).toBe('—');
    expect(row.description).toBe('—');
    expect(findTicket(s.db, ticketId)).toMatchObject({ conversationId: null, text: '—', anonymous: true });
    expect(existsSync(file)).toBe(false);
    expect(s.db.select().from(media).where(eq(media.conversationId, conversation.id)).all()).toEqual([]);
    // Only what was said after the erasure is left: the confirmation (no personal data in it).
    const left = s.db.select().from(transcript).where(eq(transcript.conversationId, conversation.id)).all();
    expect(left.map((r) => r.text).join('\n')).not.toMatch(/فاطمة|1234567897|جلطة|٧٨٩٧/);
    expect(hasConsent(s.db, conversation.id)).toBe(false);
    expect(
      s.db.select().from(consents).where(eq(consents.conversationId, conversation.id)).all().at(-1)?.decision,
    ).toBe('withdrawn');
    const [request] = listDataRequests(s.db);
    expect(request).toMatchObject({ kind: 'erasure', status: 'open', verifiedBy: 'id' });
    expect(request?.dueAt.getTime()).toBe(wednesday.getTime() + 30 * dayMs);
    expect(JSON.stringify(request?.details)).not.toMatch(/فاطمة|1234567897/);
    expect(readAudit(s.db).map((r) => r.entry.action)).toContain('privacy.erase');
  });

  it('should keep the record of aid given (name and ID) and erase the rest of it', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p3');
    const { id } = s.photo(conversation, 'p3');
    const { caseId } = s.apply(conversation, id);
    moveCase(s.db, caseId, 'submitted', 'served', s.clock());
    await s.say('p3', 'احذف بياناتي', '1', '7897');
    expect(findCase(s.db, caseId)).toMatchObject({
      applicantName: 'فاطمة علي القحطاني',
      nationalId: '1234567897',
      description: '—',
      phone: '—',
      stage: 'served',
      conversationId: null,
    });
  });

  it('should take the platform account as the proof when no ID was given', async () => {
    const s = privacySetup();
    await s.chat('p4');
    await s.say('p4', 'delete my data', '1');
    expect(listDataRequests(s.db)).toMatchObject([{ kind: 'erasure', verifiedBy: 'platform' }]);
  });

  it('should mark an application’s need and documents in its chat as health details as soon as a draft holds them', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p7');
    const { id } = s.photo(conversation, 'p7');
    appendTranscript(s.db, {
      conversationId: conversation.id,
      direction: 'in',
      author: 'user',
      kind: 'media',
      payload: { media: 'photo', mediaId: id },
    });
    await s.say('p7', 'ابي كرسي متحرك لامي المريضة بالسكري');
    s.db.transaction((tx) =>
      s.effects['draft.save'](
        {
          name: 'draft.save',
          answers: {
            description: 'ابي كرسي متحرك لامي المريضة بالسكري',
            documents: [{ documentTypeId: '1', mediaId: id }],
          },
        },
        { tx, conversation, now: s.clock(), setLocale: () => {} },
      ),
    );
    const flagged = s.db
      .select()
      .from(transcript)
      .where(eq(transcript.conversationId, conversation.id))
      .all()
      .filter((r) => (r.payload as { flag?: string } | null)?.flag === 'health');
    expect(flagged.map((r) => r.kind).sort()).toEqual(['media', 'text']);
  });

  it('should ask nothing more of someone who withdrew consent: no rating question', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p6');
    const ask = (tx: Setup['db']) =>
      s.effects['rating.ask'](
        { name: 'rating.ask', subject: 'handoff', subjectId: 9 },
        { tx, conversation, now: s.clock(), setLocale: () => {} },
      );
    await s.say('p6', 'بياناتي', '2', '1');
    expect(listDataRequests(s.db).map((r) => r.kind)).toEqual(['access']);
    expect(s.db.transaction(ask)).toMatchObject({ type: 'rating.asked', fresh: false });
    expect(s.db.select().from(ratings).all()).toEqual([]);
  });

  it('should let a manager finish an erasure — the linked beneficiary erased, audited, the person told — and refuse an officer', async () => {
    const s = privacySetup();
    const conversation = await s.chat('p5');
    const beneficiary = createBeneficiary(s.db, 'فاطمة علي', '+966501234567');
    linkConversation(s.db, conversation.id, beneficiary);
    s.db
      .insert(contacts)
      .values({
        beneficiaryId: beneficiary,
        channel: 'phone',
        summary: 'اتصلت وذكرت أن والدتها مريضة',
        staffUserId: s.staff('lina', 'officer').id,
      })
      .run();
    await s.say('p5', 'احذف بياناتي', '1');
    const [request] = listDataRequests(s.db);
    const officer = s.staff('huda', 'officer');
    const manager = s.staff('sara', 'manager');
    expect(await s.desk.complete(request!.id, officer, '')).toBe('none');
    expect(await s.desk.complete(request!.id, manager, 'حُذف الملف الورقي')).toBe('done');
    expect(await s.desk.complete(request!.id, manager, '')).toBe('taken');
    expect(findDataRequest(s.db, request!.id)).toMatchObject({ status: 'done', doneBy: manager.id });
    expect(s.db.select().from(beneficiaries).where(eq(beneficiaries.id, beneficiary)).get()).toMatchObject({
      name: '—',
      phone: null,
    });
    expect(findConversationById(s.db, conversation.id)?.beneficiaryId).toBeNull();
    expect(s.db.select().from(contacts).where(eq(contacts.beneficiaryId, beneficiary)).get()?.summary).toBe('—');
    expect((await s.said('p5')).at(-1)).toContain('اكتمل طلب حذف بياناتك');
    expect(readAudit(s.db).find((r) => r.entry.action === 'privacy.complete')?.entry.staffUserId).toBe(manager.id);
  });
});
