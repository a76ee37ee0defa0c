import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  caseDocumentsOf,
  caseHistory,
  caseNotesOf,
  countsByStage,
  findCase,
  finishReviewTask,
  listAidTypes,
  listCases,
  listDocumentTypes,
  reviewTasksOf,
  saveCatalogueEntry,
} from '../../db/cases.ts';
import { healthConsentOf } from '../../db/consents.ts';
import type { CaseResult } from '../../desks/cases.ts';
import { caseStages } from '../../domain/caseStages.ts';
import { may } from '../../domain/permissions.ts';
import { toE164 } from '../../domain/phone.ts';
import { relationships } from '../../domain/relationships.ts';
import { fromLocalTime } from '../../domain/workingHours.ts';
import { type IdParams, type Kit, sameSiteReferer } from '../kit.ts';
import { type CaseFilter, casePage, casesPage, cataloguePage, newCasePage } from '../views/cases.ts';

/** How far ahead a request's answer date counts as "about to pass". */
const soonMs = 3 * 86_400_000;

/** What each refused move answers: its status and the page's words. */
const refusals: Record<Exclude<CaseResult, 'done'>, [400 | 403 | 404 | 409, string]> = {
  none: [404, 'errors.notFound'],
  forbidden: [403, 'cases:console.errors.forbidden'],
  taken: [409, 'cases:console.errors.taken'],
  invalid: [400, 'cases:console.errors.invalid'],
};

/** Aid cases: the list, a case and its moves (through the case module), cases opened at the office, the catalogue. */
export function caseRoutes(app: FastifyInstance, kit: Kit): void {
  const { deps } = kit;
  const { db, cases: desk } = deps;
  const allow = { preHandler: kit.allow('cases') };
  const actor = (request: FastifyRequest) => {
    const user = kit.who(request);
    return { id: user.id, role: user.role };
  };
  const cityName = (request: FastifyRequest, id: string) => {
    const lang = kit.context(request).lang;
    if (id.startsWith('other:')) return id.slice(6);
    return deps.cities.find((c) => c.id === id)?.names[lang] ?? id;
  };

  app.get<{ Querystring: Record<string, unknown> }>('/cases', allow, async (request, reply) => {
    const query = request.query;
    const text = (name: string) =>
      typeof query[name] === 'string' ? (query[name] as string).trim().slice(0, 100) : '';
    const filter: CaseFilter = {
      ...(caseStages.find((s) => s === text('stage')) ? { stage: text('stage') as CaseFilter['stage'] } : {}),
      ...(Number(text('aidType')) > 0 ? { aidTypeId: Number(text('aidType')) } : {}),
      ...(text('city') ? { city: text('city') } : {}),
      ...(text('due') === 'overdue' || text('due') === 'soon' ? { due: text('due') as 'overdue' | 'soon' } : {}),
      ...(text('q') ? { q: text('q') } : {}),
    };
    const now = kit.now();
    const phone = filter.q ? toE164(filter.q) : undefined;
    const rows = listCases(db, {
      ...(filter.stage ? { stage: filter.stage } : {}),
      ...(filter.aidTypeId ? { aidTypeId: filter.aidTypeId } : {}),
      ...(filter.city ? { city: filter.city } : {}),
      ...(filter.due ? { overdueAt: filter.due === 'overdue' ? now : new Date(now.getTime() + soonMs) } : {}),
      ...(filter.q ? { search: phone ?? filter.q } : {}),
    });
    if (filter.q) kit.record(request, 'search', 'case', undefined, { results: rows.length });
    return kit.page(
      request,
      reply,
      kit.context(request).t('nav.cases'),
      casesPage(kit.context(request), {
        rows,
        counts: countsByStage(db),
        filter,
        aidTypes: listAidTypes(db, true),
        cities: deps.cities,
        now,
        canOpen: true,
      }),
    );
  });

  const showNew = (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('cases:console.open'),
      newCasePage(kit.context(request), {
        aidTypes: listAidTypes(db),
        cities: deps.cities,
        ...(error ? { error } : {}),
      }),
      status,
    );

  app.get('/cases/new', allow, async (request, reply) => showNew(request, reply));

  app.post('/cases', allow, async (request, reply) => {
    const form = kit.form(request);
    const phone = toE164(form.phone ?? '');
    // A request for a relative: the ID is the patient's, and their name is needed.
    const relationship = relationships.find((r) => r === form.relationship);
    const result = desk.open(
      actor(request),
      {
        name: form.name?.trim(),
        ...(relationship ? { forFamily: true, relationship, patientName: form.patientName?.trim() } : {}),
        nationalId: form.nationalId,
        phone,
        city: form.city,
        householdSize: Number(form.householdSize) || undefined,
        income: form.income?.replace(/\D/g, '') || undefined,
        aidTypeId: form.aidType,
        description: form.description?.trim(),
      },
      form.source === 'phone' ? 'phone' : 'visit',
    );
    const { t } = kit.context(request);
    if (result === 'invalid') return showNew(request, reply, t('cases:console.errors.incomplete'), 400);
    if (result.type === 'case.duplicate') {
      return showNew(
        request,
        reply,
        t('cases:console.errors.duplicate', { reference: result.summary?.reference ?? '' }),
        409,
      );
    }
    return reply.redirect(`/cases/${result.caseId}`, 303);
  });

  app.get<{ Params: IdParams }>('/cases/:id', allow, async (request, reply) => {
    const row = findCase(db, Number(request.params.id));
    if (!row) return kit.fail(request, reply, 404, 'errors.notFound');
    // Whether this view showed health details (the need, the documents, the health consent).
    const health = may(kit.who(request).role, 'health');
    kit.record(request, 'view', 'case', row.id, { health });
    return kit.page(
      request,
      reply,
      row.reference,
      casePage(kit.context(request), {
        row,
        aidType: listAidTypes(db, true).find((a) => a.id === row.aidTypeId),
        city: cityName(request, row.city),
        documents: caseDocumentsOf(db, row.id),
        history: caseHistory(db, row.id),
        notes: caseNotesOf(db, row.id),
        reviews: reviewTasksOf(db, row.id),
        documentTypes: listDocumentTypes(db),
        now: kit.now(),
        healthConsent: health && row.conversationId !== null ? healthConsentOf(db, row.conversationId) : undefined,
      }),
    );
  });

  const answer = (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, result: CaseResult) => {
    if (result === 'done') return reply.redirect(`/cases/${request.params.id}`, 303);
    const [status, key] = refusals[result];
    return kit.fail(request, reply, status, key);
  };

  app.post<{ Params: IdParams }>('/cases/:id/move', allow, async (request, reply) => {
    const form = kit.form(request);
    const to = caseStages.find((s) => s === form.to);
    if (!to) return kit.fail(request, reply, 400, 'errors.badRequest');
    const visitAt = form.visitAt ? fromLocalTime(form.visitAt, deps.org.timeZone) : undefined;
    const missing = (form['missing[]'] ?? '')
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    const result = await desk.move(Number(request.params.id), actor(request), to, {
      ...(form.note ? { note: form.note.slice(0, 500) } : {}),
      ...(missing.length ? { missing } : {}),
      ...(visitAt ? { visitAt } : {}),
      ...(form.reason ? { reason: form.reason.slice(0, 1000) } : {}),
    });
    return answer(request, reply, result);
  });

  app.post<{ Params: IdParams }>('/cases/:id/permanent', allow, async (request, reply) =>
    answer(
      request,
      reply,
      await desk.setPermanent(Number(request.params.id), actor(request), kit.form(request).permanent === '1'),
    ),
  );

  app.post<{ Params: IdParams }>('/cases/:id/notes', allow, async (request, reply) => {
    const body = (kit.form(request).body ?? '').trim();
    if (!body) return kit.fail(request, reply, 400, 'errors.emptyNote');
    return answer(request, reply, desk.note(Number(request.params.id), actor(request), body));
  });

  app.post<{ Params: IdParams }>('/reviews/:id/done', allow, async (request, reply) => {
    const done = finishReviewTask(db, Number(request.params.id), kit.who(request).id, kit.now());
    if (!done) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'review.done', 'review', Number(request.params.id));
    return reply.redirect(sameSiteReferer(request) ?? '/cases', 303);
  });

  const catalogue = { preHandler: kit.allow('catalogue') };
  const showCatalogue = (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('cases:console.catalogue'),
      cataloguePage(kit.context(request), {
        aidTypes: listAidTypes(db, true),
        documentTypes: listDocumentTypes(db, true),
        ...(error ? { error } : {}),
      }),
      status,
    );

  app.get('/catalogue', catalogue, async (request, reply) => showCatalogue(request, reply));

  app.post('/catalogue', catalogue, async (request, reply) => {
    const form = kit.form(request);
    const table = form.table === 'document' ? 'document' : 'aid';
    const code = (form.code ?? '').trim();
    const nameAr = (form.nameAr ?? '').trim().slice(0, 200);
    const nameEn = (form.nameEn ?? '').trim().slice(0, 200);
    if (!/^[A-Za-z][A-Za-z0-9_-]{1,31}$/.test(code) || !nameAr || !nameEn) {
      return showCatalogue(request, reply, kit.context(request).t('cases:console.errors.catalogue'), 400);
    }
    const id = Number(form.id) || undefined;
    try {
      saveCatalogueEntry(db, table, {
        ...(id ? { id } : {}),
        code,
        nameAr,
        nameEn,
        active: form.active === '1',
        required: form.required === '1',
      });
    } catch (error) {
      if (!String(error).includes('UNIQUE')) throw error;
      return showCatalogue(request, reply, kit.context(request).t('cases:console.errors.codeTaken'), 409);
    }
    kit.record(request, id ? 'update' : 'create', table === 'aid' ? 'aidType' : 'documentType', id);
    return reply.redirect('/catalogue', 303);
  });
}
