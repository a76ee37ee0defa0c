import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplicationAnswers } from '../../flows/events.ts';
import { rootFlowVersion } from '../../flows/root/rootMachine.ts';
import {
  caseDocumentsOf,
  caseHistory,
  findCase,
  findDraft,
  listAidTypes,
  listDocumentTypes,
  reviewTasksOf,
} from '../../src/db/cases.ts';
import { findConversation, saveSenderProfile } from '../../src/db/conversations.ts';
import { recordMedia } from '../../src/db/media.ts';
import { timers } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import {
  answerReview,
  attachToCase,
  CaseDesk,
  type CaseSettings,
  keepDraft,
  lookupCase,
  myCases,
  savedApplicant,
  submitApplication,
  withdrawCase,
} from '../../src/desks/cases.ts';
import { effectSettingsOf } from '../../src/desks/effects.ts';
import { type CaseStage, caseStages, caseTransitions } from '../../src/domain/caseStages.ts';
import { roles } from '../../src/domain/permissions.ts';
import { parseReference } from '../../src/domain/reference.ts';
import { TimerScheduler } from '../../src/engine/timerScheduler.ts';
import { createI18n } from '../../src/i18n.ts';
import { config, memoryLogger, setup, tempDir } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const settings: CaseSettings = effectSettingsOf(config).cases;
const t = createI18n();
/** Wednesday 25 November 2026, 10:00 in Riyadh (1448 AH). */
const monday = new Date('2026-11-25T07:00:00Z');

function casesSetup() {
  let now = monday.getTime();
  const clock = () => new Date(now);
  const s = setup({ clock });
  open.push(s);
  const desk = new CaseDesk(s.engine, s.db, settings, clock);
  const staff = (username: string, role: (typeof roles)[number]) => {
    const user = createStaffUser(s.db, { username, displayName: username, role, passwordHash: 'x' });
    return { id: user.id, role: user.role };
  };
  /** A chat that greeted (in Arabic, or in English for `language` 2) and consented (or declined). */
  const chat = async (id: string, consent: '1' | '2' = '1', language: '1' | '2' = '1') => {
    await s.say(id, language === '2' ? 'hello' : 'السلام عليكم', consent);
    return findConversation(s.db, 'test', id)!;
  };
  const [devices, medicines] = listAidTypes(s.db);
  const documents = listDocumentTypes(s.db);
  const answers = (overrides: ApplicationAnswers = {}): ApplicationAnswers => ({
    name: 'فاطمة علي القحطاني',
    nationalId: '1234567897',
    phone: '+966501234567',
    city: 'buraydah',
    householdSize: 5,
    income: '3000',
    aidTypeId: String(devices?.id),
    description: 'أحتاج كرسيًا متحركًا لوالدتي',
    documents: [{ documentTypeId: String(documents[0]?.id), later: true }],
    healthConsent: true,
    declaration: true,
    ...overrides,
  });
  return {
    ...s,
    desk,
    staff,
    chat,
    answers,
    devices: devices!,
    medicines: medicines!,
    documents,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
    inTx: <T>(work: (tx: Setup['db']) => T) => s.db.transaction(work),
  };
}

describe('aid requests (the case module)', () => {
  it('should save an application with a checked reference, the answer date, its documents and its history', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    const submitted = s.inTx((tx) => submitApplication(tx, conversation, s.answers(), s.clock(), settings));
    if (submitted.type !== 'case.submitted') throw new Error('not submitted');
    expect(parseReference(submitted.reference)).toMatchObject({ reference: { kind: 'A', year: 48, sequence: 1 } });
    expect(submitted.dueAt - s.clock().getTime()).toBe(14 * 86_400_000);
    const row = findCase(s.db, submitted.caseId)!;
    expect(row).toMatchObject({
      stage: 'submitted',
      source: 'chat',
      nationalId: '1234567897',
      conversationId: conversation.id,
    });
    expect(caseDocumentsOf(s.db, row.id).map((d) => d.document.status)).toEqual(['later']);
    expect(caseHistory(s.db, row.id).map((h) => h.event.toStage)).toEqual(['submitted']);

    // The same ID and aid type again: the open request is told, not a second one made.
    const again = s.inTx((tx) => submitApplication(tx, conversation, s.answers(), s.clock(), settings));
    expect(again).toMatchObject({
      type: 'case.duplicate',
      summary: { reference: submitted.reference, stage: 'submitted' },
    });
    // Someone else typing the same ID learns nothing of that request.
    const stranger = await s.chat('b');
    expect(s.inTx((tx) => submitApplication(tx, stranger, s.answers(), s.clock(), settings))).toEqual({
      type: 'case.duplicate',
    });
    const other = s.inTx((tx) =>
      submitApplication(tx, conversation, s.answers({ aidTypeId: String(s.medicines.id) }), s.clock(), settings),
    );
    expect(other).toMatchObject({ type: 'case.submitted' });
    expect(parseReference((other as { reference: string }).reference)).toMatchObject({ reference: { sequence: 2 } });
    expect(myCases(s.db, conversation).cases.map((c) => c.reference)).toEqual([
      (other as { reference: string }).reference,
      submitted.reference,
    ]);
  });

  it('should keep a request made for a family member with the patient, and the applicant as the contact', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    const family = { forFamily: true, relationship: 'parent', patientName: 'علي سعد القحطاني' } as const;
    const submitted = s.inTx((tx) => submitApplication(tx, conversation, s.answers(family), s.clock(), settings));
    if (submitted.type !== 'case.submitted') throw new Error('not submitted');
    expect(findCase(s.db, submitted.caseId)).toMatchObject({
      applicantName: 'فاطمة علي القحطاني',
      patientName: 'علي سعد القحطاني',
      relationship: 'parent',
      nationalId: '1234567897',
    });
    // The ID kept is the patient's: a next application is not offered it as the applicant's own.
    expect(s.inTx((tx) => savedApplicant(tx, conversation)).saved).toBeUndefined();
    // Without the patient's name or who they are, it is not complete.
    for (const broken of [{ patientName: undefined }, { relationship: undefined }]) {
      expect(() =>
        s.inTx((tx) => submitApplication(tx, conversation, s.answers({ ...family, ...broken }), s.clock(), settings)),
      ).toThrow(/not complete/);
    }
  });

  it('should refuse an incomplete or invalid application instead of saving it', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    for (const broken of [{ declaration: false }, { nationalId: '1234567890' }, { aidTypeId: '999' }, { name: '' }]) {
      expect(() => s.inTx((tx) => submitApplication(tx, conversation, s.answers(broken), s.clock(), settings))).toThrow(
        /not complete/,
      );
    }
  });

  it('should allow exactly the moves of the transition table, to exactly the roles it names', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    const people = Object.fromEntries(roles.map((role) => [role, s.staff(role, role)]));
    const visitAt = new Date(monday.getTime() + 3 * 86_400_000);
    for (const from of caseStages) {
      for (const to of caseStages) {
        for (const role of roles) {
          const { caseId } = s.inTx((tx) =>
            submitApplication(
              tx,
              conversation,
              s.answers({ nationalId: '2000000006', aidTypeId: String(s.devices.id) }),
              s.clock(),
              settings,
            ),
          ) as { caseId: number };
          s.db.run(sql`update cases set stage = ${from} where id = ${caseId}`);
          const result = await s.desk.move(caseId, people[role]!, to, {
            missing: [s.documents[1]!.id],
            visitAt,
            reason: 'الدخل أعلى من حد الاستحقاق',
          });
          const allowed = caseTransitions[from][to]?.includes(role) ?? false;
          expect(result, `${role}: ${from} → ${to}`).toBe(allowed ? 'done' : 'forbidden');
          s.db.run(sql`update cases set stage = 'closed' where id = ${caseId}`);
        }
      }
    }
  });

  it('should tell the applicant of each change they must know, in their language, with what it needs', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a', '1', '2');
    const researcher = s.staff('rana', 'researcher');
    const manager = s.staff('majed', 'manager');
    const officer = s.staff('huda', 'officer');
    const { caseId, reference } = s.inTx((tx) =>
      submitApplication(tx, conversation, s.answers(), s.clock(), settings),
    ) as { caseId: number; reference: string };
    const said = async () => {
      await s.drainer.drain();
      return s.channel.texts('a').at(-1) ?? '';
    };
    const before = s.channel.texts('a').length;
    expect(await s.desk.move(caseId, researcher, 'under_research')).toBe('done');
    await s.drainer.drain();
    expect(s.channel.texts('a')).toHaveLength(before);

    // The ID was promised for later: asking for it again turns that promise into a missing item, once.
    expect(
      await s.desk.move(caseId, researcher, 'incomplete', { missing: [s.documents[1]!.id, s.documents[0]!.id] }),
    ).toBe('done');
    expect(caseDocumentsOf(s.db, caseId).map((d) => [d.type?.code, d.document.status])).toEqual([
      ['id', 'missing'],
      ['medicalReport', 'missing'],
    ]);
    const incomplete = await said();
    expect(incomplete).toContain(reference);
    expect(incomplete).toContain(s.documents[1]!.nameEn);
    expect(incomplete.startsWith('About your request')).toBe(true);

    // The applicant sends the missing report from the chat: back to research.
    const mediaId = recordMedia(s.db, {
      conversationId: conversation.id,
      kind: 'photo',
      mime: 'image/jpeg',
      size: 9,
      sha256: 'x',
      path: 'x.jpg',
    });
    const attach = () =>
      s.inTx((tx) => attachToCase(tx, findConversation(tx, 'test', 'a')!, { caseId, mediaId }, s.clock()));
    expect(attach()?.summary).toMatchObject({ stage: 'incomplete', missing: [{ id: String(s.documents[1]!.id) }] });
    expect(attach()?.summary).toMatchObject({ stage: 'under_research', missing: [] });

    const visitAt = new Date('2026-11-29T07:30:00Z');
    expect(await s.desk.move(caseId, researcher, 'field_visit', { visitAt })).toBe('done');
    expect(await said()).toContain('field visit');
    expect(await s.desk.move(caseId, researcher, 'management_review', { note: 'زرناهم' })).toBe('done');
    expect(await s.desk.move(caseId, manager, 'rejected', { reason: '  ' })).toBe('invalid');
    expect(await s.desk.move(caseId, manager, 'approved')).toBe('done');
    expect(await said()).toContain('approved');
    expect(await s.desk.move(caseId, officer, 'registered')).toBe('done');
    expect(await s.desk.move(caseId, officer, 'served')).toBe('done');
    await said();
    // The notice, then (the flow having heard of it) the question asking to rate the service.
    expect(s.channel.texts('a').slice(-2).join('\n')).toContain('delivered');
    expect(caseHistory(s.db, caseId).map((h) => h.event.toStage)).toEqual([
      'submitted',
      'under_research',
      'incomplete',
      'under_research',
      'field_visit',
      'management_review',
      'approved',
      'registered',
      'served',
    ]);
    expect(t.t('cases:notify.served', { lng: 'en', reference, aidType: '' })).toContain(reference);
  });

  it('should not write to a chat that declined consent or blocked us: the case is flagged for a call', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a', '2');
    const researcher = s.staff('rana', 'researcher');
    const { caseId } = s.inTx((tx) => submitApplication(tx, conversation, s.answers(), s.clock(), settings)) as {
      caseId: number;
    };
    const before = s.channel.texts('a').length;
    await s.desk.move(caseId, researcher, 'under_research');
    await s.desk.move(caseId, researcher, 'incomplete', { missing: [s.documents[0]!.id] });
    await s.drainer.drain();
    expect(s.channel.texts('a')).toHaveLength(before);
    expect(findCase(s.db, caseId)?.needsCall).toBe(true);
  });

  it('should find a request by reference and ID digits, say so for a typo, and cool down after five failures', async () => {
    const s = casesSetup();
    const owner = await s.chat('a');
    const { reference } = s.inTx((tx) => submitApplication(tx, owner, s.answers(), s.clock(), settings)) as {
      reference: string;
    };
    const stranger = await s.chat('b');
    const look = (typed: string, digits: string) =>
      s.inTx((tx) =>
        lookupCase(tx, findConversation(tx, 'test', 'b')!, { reference: typed, lastFour: digits }, s.clock()),
      );
    const wrongCheck = `${reference.slice(0, -1)}${(Number(reference.at(-1)) + 1) % 10}`;
    expect(look(reference.toLowerCase().replace(/-/g, ' '), '٧٨٩٧')).toMatchObject({
      type: 'case.found',
      summary: { reference },
    });
    expect(look(wrongCheck, '7897')).toEqual({ type: 'case.notFound', reason: 'typo' });
    expect(look(reference, '1111')).toEqual({ type: 'case.notFound', reason: 'unknown' });
    expect(look('A-48-00999-0', '7897')).toMatchObject({ type: 'case.notFound' });
    look(reference, '2222');
    look(reference, '3333');
    expect(look(reference, '7897')).toMatchObject({ type: 'case.notFound', reason: 'coolDown' });
    s.advance(61 * 60_000);
    expect(look(reference, '7897')).toMatchObject({ type: 'case.found' });
    expect(stranger.id).not.toBe(owner.id);
  });

  it('should let the applicant withdraw before a decision, and not after', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    const manager = s.staff('majed', 'manager');
    const first = s.inTx((tx) => submitApplication(tx, conversation, s.answers(), s.clock(), settings)) as {
      caseId: number;
    };
    const second = s.inTx((tx) =>
      submitApplication(tx, conversation, s.answers({ aidTypeId: String(s.medicines.id) }), s.clock(), settings),
    ) as { caseId: number };
    expect(s.inTx((tx) => withdrawCase(tx, conversation, first.caseId, s.clock()))).toMatchObject({ withdrawn: true });
    for (const to of ['under_research', 'management_review', 'approved'] as CaseStage[])
      await s.desk.move(second.caseId, manager, to);
    expect(s.inTx((tx) => withdrawCase(tx, conversation, second.caseId, s.clock()))).toMatchObject({
      withdrawn: false,
    });
    expect(findCase(s.db, first.caseId)?.stage).toBe('closed');
  });

  it('should review a permanent beneficiary on schedule: one timer, renewed on an answer, a task on a change', async () => {
    const s = casesSetup();
    const conversation = await s.chat('a');
    const manager = s.staff('majed', 'manager');
    const { caseId } = s.inTx((tx) => submitApplication(tx, conversation, s.answers(), s.clock(), settings)) as {
      caseId: number;
    };
    expect(await s.desk.setPermanent(caseId, manager, true)).toBe('invalid');
    for (const to of ['under_research', 'management_review', 'approved'] as CaseStage[])
      await s.desk.move(caseId, manager, to);
    expect(await s.desk.setPermanent(caseId, manager, true)).toBe('done');
    const reviewTimers = () =>
      s.db
        .select()
        .from(timers)
        .where(eq(timers.key, `case.review:${caseId}`))
        .all();
    expect(reviewTimers()).toHaveLength(1);
    expect(reviewTimers()[0]?.fireAt.getTime()).toBe(monday.getTime() + settings.reviewIntervalMs);

    s.inTx((tx) => answerReview(tx, conversation, { caseId, changed: false }, s.clock(), settings));
    expect(reviewTasksOf(s.db, caseId)).toEqual([]);
    s.advance(1000);
    s.inTx((tx) =>
      answerReview(
        tx,
        conversation,
        { caseId, changed: true, answers: { householdSize: 7, income: '1500' } },
        s.clock(),
        settings,
      ),
    );
    expect(reviewTasksOf(s.db, caseId)).toMatchObject([{ answers: { householdSize: 7, income: '1500' } }]);
    expect(reviewTimers()).toHaveLength(1);
    expect(findCase(s.db, caseId)?.nextReviewAt?.getTime()).toBe(monday.getTime() + 1000 + settings.reviewIntervalMs);
  });

  it('should open a case for a person at the office; a stranger who knows its reference learns only the receipt', async () => {
    const s = casesSetup();
    const officer = s.staff('huda', 'officer');
    const opened = s.desk.open(officer, s.answers({ healthConsent: undefined, declaration: undefined }), 'visit');
    expect(opened).toMatchObject({ type: 'case.submitted' });
    const { caseId, reference } = opened as { caseId: number; reference: string };
    expect(findCase(s.db, caseId)).toMatchObject({ source: 'visit', conversationId: null, createdBy: officer.id });
    expect(await s.desk.move(caseId, s.staff('rana', 'researcher'), 'under_research')).toBe('done');
    expect(s.desk.open(officer, s.answers({ nationalId: '123' }), 'phone')).toBe('invalid');

    // Any chat with the reference and the ID's last digits: the stage and the date, nothing to act on.
    const stranger = await s.chat('a');
    const found = s.inTx((tx) => lookupCase(tx, stranger, { reference, lastFour: '7897' }, s.clock()));
    expect(found).toMatchObject({ type: 'case.found', summary: { reference, stage: 'under_research', own: false } });
    expect(findCase(s.db, caseId)?.conversationId).toBeNull();
    expect(s.inTx((tx) => withdrawCase(tx, stranger, caseId, s.clock()))).toMatchObject({ withdrawn: false });
    expect(s.inTx((tx) => myCases(tx, stranger)).cases).toEqual([]);
    expect(s.inTx((tx) => savedApplicant(tx, stranger)).saved).toBeUndefined();

    // The applicant writing on WhatsApp from the request's mobile: theirs, and linked to be told of changes.
    const applicant = await s.chat('b');
    saveSenderProfile(s.db, applicant.id, { platformPhone: '+966501234567' });
    const own = s.inTx((tx) =>
      lookupCase(tx, findConversation(tx, 'test', 'b')!, { reference, lastFour: '7897' }, s.clock()),
    );
    expect(own).toMatchObject({ type: 'case.found', summary: { reference, own: true } });
    expect(findCase(s.db, caseId)?.conversationId).toBe(applicant.id);
  });

  it('should ask a permanent beneficiary for their review when it is due, once, also across a restart', async () => {
    const temp = tempDir();
    let now = monday.getTime();
    const clock = () => new Date(now);
    const first = setup({ dir: temp.dir, clock });
    await first.say('a', 'السلام عليكم', '1');
    const conversation = findConversation(first.db, 'test', 'a')!;
    const { caseId, reference } = first.db.transaction((tx) =>
      submitApplication(
        tx,
        conversation,
        {
          name: 'فاطمة علي',
          nationalId: '1234567897',
          phone: '+966501234567',
          city: 'rass',
          householdSize: 3,
          income: '2000',
          aidTypeId: String(listAidTypes(first.db)[0]?.id),
          description: 'حفائظ',
          healthConsent: true,
          declaration: true,
        },
        clock(),
        settings,
      ),
    ) as { caseId: number; reference: string };
    const desk = new CaseDesk(first.engine, first.db, settings, clock);
    const manager = createStaffUser(first.db, {
      username: 'majed',
      displayName: 'm',
      role: 'manager',
      passwordHash: 'x',
    });
    for (const to of ['under_research', 'management_review', 'approved'] as CaseStage[])
      await desk.move(caseId, manager, to);
    await desk.setPermanent(caseId, manager, true);
    const scheduler = (s: Setup) => new TimerScheduler(s.db, s.engine, memoryLogger().logger, 1000, clock);

    expect(await scheduler(first).tick()).toBe(0);
    now += settings.reviewIntervalMs + 60_000;
    expect(await scheduler(first).tick()).toBe(1);
    await first.drainer.drain();
    const asked = first.channel.texts('a').at(-1) ?? '';
    expect(asked).toContain(reference);
    expect(await scheduler(first).tick()).toBe(0);
    void first.drainer.stop(0);
    first.database.close();

    const second = setup({ dir: temp.dir, clock });
    open.push(second);
    expect(await scheduler(second).tick()).toBe(0);
    await second.say('a', '1');
    expect(findCase(second.db, caseId)?.nextReviewAt?.getTime()).toBe(now + settings.reviewIntervalMs);
    expect(
      second.db
        .select()
        .from(timers)
        .where(eq(timers.key, `case.review:${caseId}`))
        .all(),
    ).toHaveLength(1);
    temp.remove();
  });

  it('should keep an application across a new version of the flows, and say so', async () => {
    const temp = tempDir();
    const before = setup({ dir: temp.dir });
    await before.say('a', 'السلام عليكم', '1');
    const conversation = findConversation(before.db, 'test', 'a')!;
    keepDraft(before.db, conversation, { name: 'فاطمة علي', householdSize: 4 }, new Date());
    void before.drainer.stop(0);
    before.database.close();

    const after = setup({ dir: temp.dir, version: rootFlowVersion + 1 });
    open.push(after);
    await after.say('a', 'السلام عليكم');
    expect(after.channel.texts('a')[0]).toContain(t.t('common:restartedDraft', { lng: 'ar' }));
    expect(findDraft(after.db, conversation.id)?.answers).toEqual({ name: 'فاطمة علي', householdSize: 4 });
    temp.remove();
  });
});
