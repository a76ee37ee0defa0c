import type { FastifyInstance } from 'fastify';
import { findConversationById } from '../../db/conversations.ts';
import {
  addContact,
  contactChannels,
  contactsOf,
  conversationsOf,
  createBeneficiary,
  findBeneficiary,
  isStaffConversation,
  linkConversation,
  searchBeneficiaries,
} from '../../db/staffWork.ts';
import { toLatinDigits } from '../../domain/normalize.ts';
import { toE164 } from '../../domain/phone.ts';
import type { IdParams, Kit } from '../kit.ts';
import { beneficiariesPage, beneficiaryPage } from '../views/beneficiaries.ts';

/** Beneficiaries' records: search, create, link a conversation, the history of contacts. */
export function beneficiaryRoutes(app: FastifyInstance, kit: Kit): void {
  const { db } = kit.deps;
  const allow = { preHandler: kit.allow('beneficiaries') };

  /** A conversation this user may link: one that reached staff (or any, for a manager). */
  const linkable = (role: string, rawId: unknown) => {
    const id = Number(rawId);
    if (!Number.isSafeInteger(id) || !findConversationById(db, id)) return undefined;
    return role === 'manager' || isStaffConversation(db, id) ? id : undefined;
  };

  app.get<{ Querystring: { q?: unknown; link?: unknown } }>('/beneficiaries', allow, async (request, reply) => {
    const q = (typeof request.query.q === 'string' ? request.query.q : '').trim().slice(0, 100);
    const digits = toLatinDigits(q).replace(/^#/, '');
    const phone = toE164(q);
    const results = q
      ? searchBeneficiaries(db, {
          name: q,
          ...(phone ? { phone } : {}),
          ...(/^\d{1,9}$/.test(digits) ? { id: Number(digits) } : {}),
        })
      : [];
    if (q) kit.record(request, 'search', 'beneficiary', undefined, { results: results.length });
    return kit.page(
      request,
      reply,
      kit.context(request).t('beneficiaries.heading'),
      beneficiariesPage(kit.context(request), q, results, linkable(kit.who(request).role, request.query.link)),
    );
  });

  app.post('/beneficiaries', allow, async (request, reply) => {
    const form = kit.form(request);
    const name = (form.name ?? '').trim().slice(0, 200);
    if (!name) return kit.fail(request, reply, 400, 'errors.nameRequired');
    const phone = form.phone?.trim() ? toE164(form.phone) : null;
    if (phone === undefined) return kit.fail(request, reply, 400, 'errors.badPhone');
    const id = createBeneficiary(db, name, phone);
    kit.record(request, 'create', 'beneficiary', id);
    const conversationId = linkable(kit.who(request).role, form.conversationId);
    if (conversationId) {
      linkConversation(db, conversationId, id);
      kit.record(request, 'link', 'conversation', conversationId, { beneficiaryId: id });
    }
    return reply.redirect(`/beneficiaries/${id}`, 303);
  });

  app.post<{ Params: IdParams }>('/conversations/:id/link', allow, async (request, reply) => {
    const conversationId = linkable(kit.who(request).role, request.params.id);
    const beneficiary = findBeneficiary(db, Number(kit.form(request).beneficiaryId));
    if (!conversationId || !beneficiary) return kit.fail(request, reply, 404, 'errors.notFound');
    linkConversation(db, conversationId, beneficiary.id);
    kit.record(request, 'link', 'conversation', conversationId, { beneficiaryId: beneficiary.id });
    return reply.redirect(`/conversations/${conversationId}`, 303);
  });

  app.get<{ Params: IdParams }>('/beneficiaries/:id', allow, async (request, reply) => {
    const beneficiary = findBeneficiary(db, Number(request.params.id));
    if (!beneficiary) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'view', 'beneficiary', beneficiary.id);
    return kit.page(
      request,
      reply,
      beneficiary.name,
      beneficiaryPage(
        kit.context(request),
        beneficiary,
        conversationsOf(db, beneficiary.id),
        contactsOf(db, beneficiary.id),
      ),
    );
  });

  app.post<{ Params: IdParams }>('/beneficiaries/:id/contacts', allow, async (request, reply) => {
    const beneficiary = findBeneficiary(db, Number(request.params.id));
    if (!beneficiary) return kit.fail(request, reply, 404, 'errors.notFound');
    const form = kit.form(request);
    const channel = contactChannels.find((c) => c === form.channel);
    const summary = (form.summary ?? '').trim().slice(0, 4000);
    if (!channel || !summary) return kit.fail(request, reply, 400, 'errors.badRequest');
    addContact(db, { beneficiaryId: beneficiary.id, channel, summary, staffUserId: kit.who(request).id });
    kit.record(request, 'contact.add', 'beneficiary', beneficiary.id, { channel });
    return reply.redirect(`/beneficiaries/${beneficiary.id}`, 303);
  });
}
