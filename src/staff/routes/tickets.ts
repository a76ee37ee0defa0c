import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasConsent } from '../../db/consents.ts';
import { findConversationById } from '../../db/conversations.ts';
import { findStaffById, listStaff } from '../../db/staff.ts';
import {
  findTicket,
  findTicketCategory,
  listTicketCategories,
  listTickets,
  saveTicketCategory,
  ticketCounts,
  ticketHistory,
} from '../../db/tickets.ts';
import type { TicketResult } from '../../desks/tickets.ts';
import { parseReference } from '../../domain/reference.ts';
import { maySeeTicket, ticketKinds, ticketStages } from '../../domain/ticketStages.ts';
import type { IdParams, Kit } from '../kit.ts';
import { type TicketFilter, ticketCategoriesPage, ticketPage, ticketsPage } from '../views/tickets.ts';

/** What each refused move answers: its status and the page's words. */
const refusals: Record<Exclude<TicketResult, 'done'>, [400 | 403 | 404 | 409, string]> = {
  none: [404, 'errors.notFound'],
  forbidden: [403, 'tickets:console.errors.forbidden'],
  taken: [409, 'tickets:console.errors.taken'],
  invalid: [400, 'tickets:console.errors.invalid'],
};

/**
 * Complaints, suggestions and thanks: the list, a ticket and its moves (through the ticket
 * module, which refuses what a role may not do), and the categories for managers. Complaints
 * about a staff member are for managers only: left out of an officer's list and counts, and
 * not found when an officer asks for one.
 */
export function ticketRoutes(app: FastifyInstance, kit: Kit): void {
  const { deps } = kit;
  const { db, tickets: desk } = deps;
  const allow = { preHandler: kit.allow('tickets') };
  const actor = (request: FastifyRequest) => {
    const user = kit.who(request);
    return { id: user.id, role: user.role };
  };
  const seesStaffComplaints = (request: FastifyRequest) =>
    maySeeTicket(kit.who(request).role, { kind: 'complaint', aboutStaff: true });

  app.get<{ Querystring: Record<string, unknown> }>('/tickets', allow, async (request, reply) => {
    const query = request.query;
    const text = (name: string) =>
      typeof query[name] === 'string' ? (query[name] as string).trim().slice(0, 100) : '';
    const filter: TicketFilter = {
      ...(ticketStages.find((s) => s === text('stage')) ? { stage: text('stage') as TicketFilter['stage'] } : {}),
      ...(ticketKinds.find((k) => k === text('kind')) ? { kind: text('kind') as TicketFilter['kind'] } : {}),
      ...(Number(text('category')) > 0 ? { categoryId: Number(text('category')) } : {}),
      ...(text('due') === 'overdue' ? { overdue: true } : {}),
      ...(text('q') ? { q: text('q') } : {}),
    };
    const now = kit.now();
    // A reference is found however it is typed (lower case, Arabic-Indic digits, no dashes).
    const typed = filter.q ? parseReference(filter.q, ['C']) : undefined;
    const search = typed && 'text' in typed ? typed.text : filter.q;
    const hidden = !seesStaffComplaints(request);
    const rows = listTickets(db, {
      ...(filter.stage ? { stage: filter.stage } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.categoryId ? { categoryId: filter.categoryId } : {}),
      ...(filter.overdue ? { overdueAt: now } : {}),
      ...(search ? { search } : {}),
      withoutStaffComplaints: hidden,
    });
    if (filter.q) kit.record(request, 'search', 'ticket', undefined, { results: rows.length });
    return kit.page(
      request,
      reply,
      kit.context(request).t('nav.tickets'),
      ticketsPage(kit.context(request), {
        rows,
        counts: ticketCounts(db, now, hidden),
        filter,
        categories: listTicketCategories(db, true),
        now,
        canEditCategories: kit.who(request).role === 'manager',
      }),
    );
  });

  const categories = { preHandler: kit.allow('catalogue') };
  const showCategories = (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('tickets:console.categories'),
      ticketCategoriesPage(kit.context(request), {
        categories: listTicketCategories(db, true),
        ...(error ? { error } : {}),
      }),
      status,
    );

  app.get('/tickets/categories', categories, async (request, reply) => showCategories(request, reply));

  app.post('/tickets/categories', categories, async (request, reply) => {
    const form = kit.form(request);
    const code = (form.code ?? '').trim();
    const nameAr = (form.nameAr ?? '').trim().slice(0, 200);
    const nameEn = (form.nameEn ?? '').trim().slice(0, 200);
    if (!/^[A-Za-z][A-Za-z0-9_-]{1,31}$/.test(code) || !nameAr || !nameEn) {
      return showCategories(request, reply, kit.context(request).t('tickets:console.errors.categories'), 400);
    }
    const id = Number(form.id) || undefined;
    try {
      saveTicketCategory(db, {
        ...(id ? { id } : {}),
        code,
        nameAr,
        nameEn,
        aboutStaff: form.aboutStaff === '1',
        active: form.active === '1',
      });
    } catch (error) {
      if (!String(error).includes('UNIQUE')) throw error;
      return showCategories(request, reply, kit.context(request).t('tickets:console.errors.codeTaken'), 409);
    }
    kit.record(request, id ? 'update' : 'create', 'ticketCategory', id);
    return reply.redirect('/tickets/categories', 303);
  });

  /** The ticket of the URL, if it exists and this staff member may see it. */
  const visibleTicket = (request: FastifyRequest<{ Params: IdParams }>) => {
    const row = findTicket(db, Number(request.params.id));
    const category = row && findTicketCategory(db, row.categoryId);
    if (!row || !category) return undefined;
    return maySeeTicket(kit.who(request).role, { kind: row.kind, aboutStaff: category.aboutStaff })
      ? { row, category }
      : undefined;
  };

  app.get<{ Params: IdParams }>('/tickets/:id', allow, async (request, reply) => {
    const found = visibleTicket(request);
    if (!found) return kit.fail(request, reply, 404, 'errors.notFound');
    const { row, category } = found;
    kit.record(request, 'view', 'ticket', row.id);
    const conversation = row.conversationId === null ? undefined : findConversationById(db, row.conversationId);
    const visibility = { kind: row.kind, aboutStaff: category.aboutStaff };
    return kit.page(
      request,
      reply,
      row.reference,
      ticketPage(kit.context(request), {
        row,
        category,
        assignee: row.assignedTo ? findStaffById(db, row.assignedTo)?.displayName : undefined,
        history: ticketHistory(db, row.id),
        colleagues: listStaff(db).filter((u) => !u.disabled && maySeeTicket(u.role, visibility)),
        reachable: conversation?.status === 'active' && hasConsent(db, conversation.id),
        now: kit.now(),
      }),
    );
  });

  const answer = (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, result: TicketResult) => {
    if (result === 'done') return reply.redirect(`/tickets/${request.params.id}`, 303);
    const [status, key] = refusals[result];
    return kit.fail(request, reply, status, key);
  };
  const idOf = (request: FastifyRequest<{ Params: IdParams }>) => Number(request.params.id);

  app.post<{ Params: IdParams }>('/tickets/:id/assign', allow, async (request, reply) => {
    const assignee = Number(kit.form(request).assignee);
    const to = Number.isSafeInteger(assignee) && assignee > 0 ? assignee : undefined;
    return answer(request, reply, await desk.assign(idOf(request), actor(request), to));
  });

  app.post<{ Params: IdParams }>('/tickets/:id/resolve', allow, async (request, reply) =>
    answer(
      request,
      reply,
      await desk.resolve(idOf(request), actor(request), (kit.form(request).note ?? '').slice(0, 2000)),
    ),
  );

  app.post<{ Params: IdParams }>('/tickets/:id/close', allow, async (request, reply) =>
    answer(request, reply, await desk.close(idOf(request), actor(request))),
  );

  app.post<{ Params: IdParams }>('/tickets/:id/reopen', allow, async (request, reply) => {
    const note = (kit.form(request).note ?? '').trim().slice(0, 500);
    return answer(request, reply, await desk.reopen(idOf(request), actor(request), note || undefined));
  });
}
