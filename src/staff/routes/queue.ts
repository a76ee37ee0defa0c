import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { casesOfConversation, findDraft, isCaseMedia } from '../../db/cases.ts';
import { findConversationById } from '../../db/conversations.ts';
import { type Handoff, listHandoffs, openHandoff, queueCounts } from '../../db/handoffs.ts';
import { findStaffById, listStaff } from '../../db/staff.ts';
import {
  addNote,
  findBeneficiary,
  findMedia,
  isStaffConversation,
  latestInboundOfClaimed,
  listCanned,
  notesOf,
} from '../../db/staffWork.ts';
import { isTicketMedia } from '../../db/tickets.ts';
import { flagOfMedia, readTranscript } from '../../db/transcript.ts';
import { type CommandResult, canTakeConversations, type StaffCommand } from '../../desks/handoff.ts';
import { may } from '../../domain/permissions.ts';
import { MediaStore } from '../../engine/mediaStore.ts';
import type { FailStatus, IdParams, Kit } from '../kit.ts';
import { conversationPage, handoffControls, queuePage, queueRows, transcriptRows } from '../views/conversation.ts';

const tabs = ['waiting', 'claimed', 'closed'] as const satisfies Handoff['status'][];

/** What each refused command answers: its status and the page's words. */
const refusals: Record<Exclude<CommandResult, 'done'>, [FailStatus, string]> = {
  none: [409, 'errors.noHandoff'],
  taken: [409, 'errors.conflict'],
  notYours: [403, 'errors.notYours'],
  badTarget: [400, 'errors.badTransfer'],
};

/** The queue, conversations and what staff do in them (through the handoff's owner), and files. */
export function queueRoutes(app: FastifyInstance, kit: Kit): void {
  const { deps } = kit;
  const { db } = deps;
  const allow = { preHandler: kit.allow('queue') };
  const live = { preHandler: kit.allow('queue'), config: { background: true } };

  const tabOf = (request: FastifyRequest) => {
    const tab = (request.query as { tab?: unknown }).tab;
    return tabs.find((t) => t === tab) ?? 'waiting';
  };
  const rowsOf = (request: FastifyRequest) =>
    queueRows(kit.context(request), listHandoffs(db, tabOf(request)), kit.now(), deps.org);

  app.get('/queue', allow, async (request, reply) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('nav.queue'),
      queuePage(kit.context(request), tabOf(request), rowsOf(request)),
    ),
  );

  app.get('/queue/rows', live, async (request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(rowsOf(request).value),
  );

  // What an open page polls: the title's count, the alerts, and when the session ends.
  app.get('/live', live, async (request) => {
    const user = kit.who(request);
    return {
      ...queueCounts(db),
      mine: latestInboundOfClaimed(db, user.id),
      expiresAt: request.staff?.expiresAt.getTime() ?? 0,
    };
  });

  /** The conversation of the URL, if it exists and this user may see it. */
  const visibleConversation = (request: FastifyRequest, rawId: unknown) => {
    const id = Number(rawId);
    const conversation = Number.isSafeInteger(id) ? findConversationById(db, id) : undefined;
    if (!conversation) return undefined;
    return kit.who(request).role === 'manager' || isStaffConversation(db, id) ? conversation : undefined;
  };
  const conversationFor = (request: FastifyRequest<{ Params: IdParams }>) =>
    visibleConversation(request, request.params.id);

  const controlsOf = (request: FastifyRequest, conversationId: number) => {
    const handoff = openHandoff(db, conversationId);
    const me = kit.who(request);
    return handoffControls(kit.context(request), conversationId, {
      handoff,
      claimedByName: handoff?.claimedBy ? findStaffById(db, handoff.claimedBy)?.displayName : undefined,
      colleagues: listStaff(db).filter((u) => canTakeConversations(u) && u.id !== me.id),
      canned: listCanned(db),
    });
  };

  app.get<{ Params: IdParams }>('/conversations/:id', allow, async (request, reply) => {
    const conversation = conversationFor(request);
    if (!conversation) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'view', 'conversation', conversation.id);
    const ctx = kit.context(request);
    return kit.page(
      request,
      reply,
      ctx.t('conversation.heading', { id: conversation.id }),
      conversationPage(ctx, {
        conversation,
        controls: controlsOf(request, conversation.id),
        rows: readTranscript(db, conversation.id),
        notes: notesOf(db, conversation.id),
        beneficiary: conversation.beneficiaryId ? findBeneficiary(db, conversation.beneficiaryId) : undefined,
        requests: casesOfConversation(db, conversation.id),
        draft: findDraft(db, conversation.id)?.answers,
      }),
    );
  });

  // The open conversation's new messages and its controls, polled by the page.
  app.get<{ Params: IdParams; Querystring: { after?: string } }>(
    '/conversations/:id/live',
    live,
    async (request, reply) => {
      const conversation = conversationFor(request);
      if (!conversation) return reply.code(404).send({});
      const after = Number(request.query.after) || 0;
      const all = readTranscript(db, conversation.id);
      const rows = all.filter((row) => row.id > after);
      return {
        last: rows.at(-1)?.id ?? after,
        // The whole transcript too: a pressed button's label and the day before come from it.
        rows: transcriptRows(kit.context(request), rows, all).value,
        controls: controlsOf(request, conversation.id).value,
      };
    },
  );

  /** Runs a command through the handoff's owner and answers the page or the page's script. */
  const command = async (
    request: FastifyRequest<{ Params: IdParams }>,
    reply: FastifyReply,
    build: () => StaffCommand | undefined,
  ) => {
    const conversation = conversationFor(request);
    if (!conversation) return kit.fail(request, reply, 404, 'errors.notFound');
    const wanted = build();
    if (!wanted) return kit.fail(request, reply, 400, 'errors.badRequest');
    const user = kit.who(request);
    const result = await deps.desk.run(conversation.id, { id: user.id, role: user.role }, wanted);
    const fromScript = request.headers['x-requested-with'] === 'fetch';
    if (result !== 'done') {
      const [status, key] = refusals[result];
      return fromScript
        ? reply.code(status).send({ error: kit.context(request).t(key) })
        : kit.fail(request, reply, status, key);
    }
    if (fromScript) return reply.send({ ok: true });
    return reply.redirect(wanted.name === 'close' ? '/queue' : `/conversations/${conversation.id}`, 303);
  };

  for (const name of ['claim', 'release', 'close'] as const) {
    app.post<{ Params: IdParams }>(`/conversations/:id/${name}`, allow, async (request, reply) =>
      command(request, reply, () => ({ name })),
    );
  }
  app.post<{ Params: IdParams }>('/conversations/:id/transfer', allow, async (request, reply) =>
    command(request, reply, () => {
      const to = Number(kit.form(request).to);
      return Number.isSafeInteger(to) ? { name: 'transfer', to } : undefined;
    }),
  );
  app.post<{ Params: IdParams }>('/conversations/:id/reply', allow, async (request, reply) =>
    command(request, reply, () => {
      const text = (kit.form(request).text ?? '').trim();
      return text ? { name: 'reply', text } : undefined;
    }),
  );

  app.post<{ Params: IdParams }>('/conversations/:id/notes', allow, async (request, reply) => {
    const conversation = conversationFor(request);
    if (!conversation) return kit.fail(request, reply, 404, 'errors.notFound');
    const body = (kit.form(request).body ?? '').trim().slice(0, 4000);
    if (!body) return kit.fail(request, reply, 400, 'errors.emptyNote');
    addNote(db, conversation.id, kit.who(request).id, body);
    kit.record(request, 'note.add', 'conversation', conversation.id);
    return reply.redirect(`/conversations/${conversation.id}#notes`, 303);
  });

  // A file is seen by those who may see its conversation, and by those who work on the aid case or the
  // complaint it belongs to (a complaint about a staff member's photo: managers only, like the complaint).
  app.get<{ Params: IdParams }>('/media/:id', async (request, reply) => {
    const role = kit.who(request).role;
    if (!may(role, 'queue') && !may(role, 'cases') && !may(role, 'tickets')) {
      return kit.fail(request, reply, 403, 'errors.forbidden');
    }
    const file = findMedia(db, Number(request.params.id));
    // What was sent in a complaint about a staff member is for managers only, whatever else holds it.
    const visible =
      file &&
      (role === 'manager' || flagOfMedia(db, file.id) !== 'aboutStaff') &&
      // A request's documents are health details: researchers and managers only, wherever they show.
      (may(role, 'health') || (!isCaseMedia(db, file.id) && flagOfMedia(db, file.id) !== 'health')) &&
      ((may(role, 'queue') && visibleConversation(request, file.conversationId)) ||
        (may(role, 'cases') && isCaseMedia(db, file.id)) ||
        (may(role, 'tickets') && isTicketMedia(db, file.id, role)));
    if (!file || !visible) return kit.fail(request, reply, 404, 'errors.notFound');
    // Stored encrypted: decrypted here, for this request only (a purged or unreadable file is not found).
    const bytes = await (deps.media ?? new MediaStore(deps.dataDir, 0)).read(file.path).catch(() => undefined);
    if (!bytes) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'view', 'media', file.id);
    // Photos and voice notes show in the page; anything else is only ever downloaded.
    const inline = /^(image|audio)\//.test(file.mime);
    return reply
      .header('content-type', file.mime)
      .header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(inline, downloadName(file)))
      .send(bytes);
  });
}

/** The name a stored file is saved under: the sender's, else its kind and id, with its real extension. */
function downloadName(file: { id: number; kind: string; fileName: string | null; path: string }): string {
  const extension = extname(file.path);
  // No path, no control or direction characters: only the name itself.
  const cleaned = (file.fileName ?? '').replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069/\\]/gu, '').trim();
  // Cut by letters, never through one (a lone surrogate cannot be percent-encoded).
  const given = Array.from(cleaned).slice(0, 120).join('');
  const base = given ? given.replace(/\.[^.]*$/, '') || given : `${file.kind}-${file.id}`;
  return `${base}${extension}`;
}

/**
 * `Content-Disposition` with the name in both forms browsers read (RFC 6266): an ASCII fallback
 * and the UTF-8 name percent-encoded (RFC 5987), so that «تقرير طبي.pdf» keeps its Arabic name.
 */
function contentDisposition(inline: boolean, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
