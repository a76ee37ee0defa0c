import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplicationAnswers } from '../../flows/events.ts';
import { caseDocumentsOf, findCase, listAidTypes, listDocumentTypes, saveDraft } from '../../src/db/cases.ts';
import { findConversation, findConversationById } from '../../src/db/conversations.ts';
import { recordMedia } from '../../src/db/media.ts';
import { outbox } from '../../src/db/schema.ts';
import { attachToCase, submitApplication } from '../../src/desks/cases.ts';
import { effectSettingsOf } from '../../src/desks/effects.ts';
import { createI18n } from '../../src/i18n.ts';
import { config } from '../helpers.ts';
import { beneficiaryAsksForStaff, type ConsoleSetup, consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar');
const setup = consoleSetups();
let counter = 0;

/** A beneficiary on the terminal channel who consented and applied; returns the case id. */
async function applied(s: ConsoleSetup, chatId: string, answers: ApplicationAnswers = {}): Promise<number> {
  for (const text of ['السلام عليكم', '1']) {
    await s.app.engine.handle({ channel: 'console', chatId, messageId: `${chatId}-${++counter}`, kind: 'text', text });
  }
  const db = s.app.database.db;
  const [aidType] = listAidTypes(db);
  const result = db.transaction((tx) =>
    submitApplication(
      tx,
      findConversation(tx, 'console', chatId),
      {
        name: 'سارة محمد',
        nationalId: '1000000008',
        phone: '+966501234567',
        city: 'unaizah',
        householdSize: 4,
        income: '2500',
        aidTypeId: String(aidType?.id),
        description: 'سرير طبي لوالدي',
        healthConsent: true,
        declaration: true,
        ...answers,
      },
      new Date(),
      effectSettingsOf(config).cases,
    ),
  );
  if (result.type !== 'case.submitted') throw new Error('not submitted');
  return result.caseId;
}

type Officer = Awaited<ReturnType<ConsoleSetup['loggedIn']>>;

/** The office's «new case» form as an officer fills it: a visit in Al-Rass, the first aid type, and `fields`. */
async function officeForm(s: ConsoleSetup, officer: Officer, fields: Record<string, string>) {
  const [aidType] = listAidTypes(s.app.database.db);
  return {
    _csrf: await officer.csrf(),
    source: 'visit',
    phone: '0501234567',
    city: 'rass',
    aidType: String(aidType?.id),
    ...fields,
  };
}

/** Sends the form; the case it opened. */
async function opened(officer: Officer, form: Record<string, string>): Promise<number> {
  const created = await officer.post('/cases', form);
  expect(created.status).toBe(303);
  return Number(created.headers.get('location')?.split('/').at(-1));
}

describe('aid cases in the console', () => {
  it('should list cases by stage with counts and find one by reference or ID digits', async () => {
    const s = await setup();
    const id = await applied(s, 'sara');
    const reference = findCase(s.app.database.db, id)?.reference ?? '';
    const researcher = await s.loggedIn('rana');
    const list = await (await researcher.get('/cases?stage=submitted')).text();
    expect(list).toContain(reference);
    expect(list).toContain(`${t('cases:console.stage.submitted')} (1)`);
    expect(await (await researcher.get('/cases?q=0008')).text()).toContain(reference);
    expect(await (await researcher.get(`/cases?q=${reference.toLowerCase()}`)).text()).toContain(reference);
    expect(await (await researcher.get('/cases?stage=approved')).text()).not.toContain(reference);
    const page = await (await researcher.get(`/cases/${id}`)).text();
    expect(page).toContain('سرير طبي لوالدي');
    expect(page).toContain('1000000008');
  });

  it('should show staff both the patient and the relative who applied for them', async () => {
    const s = await setup();
    const family = { forFamily: true, relationship: 'parent', patientName: 'محمد عبدالله الحربي' } as const;
    const id = await applied(s, 'son', { ...family, nationalId: '1010101010' });
    const researcher = await s.loggedIn('rana');
    const page = await (await researcher.get(`/cases/${id}`)).text();
    for (const shown of [
      t('cases:console.patient'),
      'محمد عبدالله الحربي',
      t('cases:console.relationships.parent'),
      t('cases:console.patientId'),
      'سارة محمد',
    ])
      expect(page).toContain(shown);
    const list = await (await researcher.get('/cases')).text();
    expect(list).toContain('محمد عبدالله الحربي');
  });

  it('should let a researcher ask for missing documents, tell the applicant, and show what they send', async () => {
    const s = await setup();
    const id = await applied(s, 'sara');
    const db = s.app.database.db;
    const [, report, income] = listDocumentTypes(db);
    const researcher = await s.loggedIn('rana');
    const csrf = await researcher.csrf();
    expect((await researcher.post(`/cases/${id}/move`, { _csrf: csrf, to: 'under_research' })).status).toBe(303);
    // Without items the move is refused and says why.
    const empty = await researcher.post(`/cases/${id}/move`, { _csrf: csrf, to: 'incomplete' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(t('cases:console.errors.invalid'));
    const asked = await fetch(`${s.base}/cases/${id}/move`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...researcher.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: `_csrf=${csrf}&to=incomplete&missing%5B%5D=${report?.id}&missing%5B%5D=${income?.id}`,
    });
    expect(asked.status).toBe(303);
    expect(
      caseDocumentsOf(db, id)
        .filter((d) => d.document.status === 'missing')
        .map((d) => d.type?.code),
    ).toEqual(['medicalReport', 'incomeProof']);
    await s.app.flush();
    const told = db.select().from(outbox).all().at(-1)?.payload.text ?? '';
    expect(told).toContain(findCase(db, id)?.reference);
    expect(told).toContain(report?.nameAr);

    const conversation = findCase(db, id)?.conversationId ?? 0;
    const mediaId = recordMedia(db, {
      conversationId: conversation,
      kind: 'photo',
      mime: 'image/png',
      size: 8,
      sha256: 'x',
      path: 'x.png',
    });
    expect((await researcher.get(`/media/${mediaId}`)).status).toBe(404);
    db.transaction((tx) =>
      attachToCase(tx, findConversationById(tx, conversation)!, { caseId: id, mediaId }, new Date()),
    );
    writeFileSync(join(s.dataDir, 'x.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    expect((await researcher.get(`/media/${mediaId}`)).status).toBe(200);
    expect(findCase(db, id)?.stage).toBe('incomplete');
    expect(await (await researcher.get(`/cases/${id}`)).text()).toContain(`/media/${mediaId}`);
  });

  it('should refuse what a role may not do, and a decision without its reason', async () => {
    const s = await setup();
    const id = await applied(s, 'sara');
    const officer = await s.loggedIn('huda');
    const manager = await s.loggedIn('majed');
    const officerCsrf = await officer.csrf();
    const managerCsrf = await manager.csrf();
    const forbidden = await officer.post(`/cases/${id}/move`, { _csrf: officerCsrf, to: 'under_research' });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain(t('cases:console.errors.forbidden'));
    for (const to of ['under_research', 'management_review']) {
      expect((await manager.post(`/cases/${id}/move`, { _csrf: managerCsrf, to })).status).toBe(303);
    }
    const noReason = await manager.post(`/cases/${id}/move`, { _csrf: managerCsrf, to: 'rejected', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain(t('cases:console.errors.invalid'));
    expect((await manager.post(`/cases/${id}/move`, { _csrf: managerCsrf, to: 'approved' })).status).toBe(303);
    expect((await officer.post(`/cases/${id}/move`, { _csrf: officerCsrf, to: 'registered' })).status).toBe(303);
    expect(findCase(s.app.database.db, id)?.stage).toBe('registered');
    expect((await manager.post(`/cases/${id}/permanent`, { _csrf: managerCsrf, permanent: '1' })).status).toBe(303);
    expect(findCase(s.app.database.db, id)?.permanent).toBe(true);
  });

  it('should open a case for a person at the office, and refuse a second open one of the same kind', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    const form = await officeForm(s, officer, {
      name: 'أبو خالد',
      nationalId: '٢١٢٣٤٥٦٧٨٨',
      householdSize: '6',
      income: '1800',
      description: 'كرسي متحرك',
    });
    const id = await opened(officer, form);
    expect(findCase(s.app.database.db, id)).toMatchObject({
      source: 'visit',
      nationalId: '2123456788',
      phone: '+966501234567',
    });
    const again = await officer.post('/cases', form);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(findCase(s.app.database.db, id)?.reference);
    const bad = await officer.post('/cases', { ...form, nationalId: '2123456789' });
    expect(bad.status).toBe(400);
  });

  it('should open a case a son asks for his father at the office, with the father as the patient', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    const form = await officeForm(s, officer, {
      name: 'خالد محمد الحربي',
      relationship: 'parent',
      patientName: 'محمد عبدالله الحربي',
      nationalId: '1010101010',
      householdSize: '4',
      income: '2500',
      description: 'سرير طبي',
    });
    // The form asks whom the request is for.
    expect(await (await officer.get('/cases/new')).text()).toContain('name="patientName"');
    // A relative without the patient's name is incomplete.
    expect((await officer.post('/cases', { ...form, patientName: '' })).status).toBe(400);
    const id = await opened(officer, form);
    expect(findCase(s.app.database.db, id)).toMatchObject({
      applicantName: 'خالد محمد الحربي',
      patientName: 'محمد عبدالله الحربي',
      relationship: 'parent',
      nationalId: '1010101010',
    });
  });

  it('should let managers edit the catalogue in both languages, and no one else', async () => {
    const s = await setup();
    const manager = await s.loggedIn('majed');
    const csrf = await manager.csrf();
    const added = await manager.post('/catalogue', {
      _csrf: csrf,
      table: 'aid',
      code: 'glasses',
      nameAr: 'نظارات طبية',
      nameEn: 'Glasses',
      active: '1',
    });
    expect(added.status).toBe(303);
    expect(listAidTypes(s.app.database.db).map((a) => a.nameAr)).toContain('نظارات طبية');
    const taken = await manager.post('/catalogue', {
      _csrf: csrf,
      table: 'aid',
      code: 'glasses',
      nameAr: 'x',
      nameEn: 'y',
    });
    expect(taken.status).toBe(409);
    const researcher = await s.loggedIn('rana');
    expect((await researcher.get('/catalogue')).status).toBe(403);
  });

  it("should show the staff member a person's requests and the application they did not finish", async () => {
    const s = await setup();
    const id = await applied(s, 'sara');
    const db = s.app.database.db;
    const conversation = findCase(db, id)?.conversationId ?? 0;
    saveDraft(db, conversation, { name: 'سارة محمد', householdSize: 4 }, new Date());
    await beneficiaryAsksForStaff(s.app, 'sara');
    const officer = await s.loggedIn('huda');
    const page = await (await officer.get(`/conversations/${conversation}`)).text();
    expect(page).toContain(findCase(db, id)?.reference);
    expect(page).toContain(t('cases:console.draft'));
    expect(page).toContain('سارة محمد');
  });
});
