import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { conversations, outbox } from '../../../src/db/schema.ts';
import { waitFor } from '../../helpers.ts';
import { setup } from './harness.ts';

const user = '966501234567@c.us';
/** The same person, once WhatsApp moved them to a private id. */
const lid = '203912345678901@lid';
/** The privacy notice, which an Arabic first message («السلام عليكم») goes straight on to. */
const consentQuestion = 'هل توافق؟';
/** The reply to agreeing to it («1»), with the menu. */
const consentThanks = 'شكرًا لك، تم تسجيل موافقتك.';

describe('WhatsApp: messages that arrive while it is down', () => {
  it('should answer a message that reached the phone while no client ran, once WhatsApp is ready again', async () => {
    const { clients, world, textsTo } = await setup();
    clients[0]!.emit('disconnected', 'NAVIGATION');
    world.message(user, 'السلام عليكم'); // whatsapp-web.js will never emit it: it came before `ready`
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
    expect(clients).toHaveLength(2);
  });

  it('should answer every unread message when someone wrote back from the phone after them', async () => {
    const { clients, world, textsTo } = await setup();
    clients[0]!.emit('disconnected', 'NAVIGATION');
    world.message(user, 'السلام عليكم');
    world.own(user, 'أهلًا، لحظات من فضلك'); // typed on the association's phone: the chat stays unread
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
  });

  it('should answer a message someone read on the phone while no client ran', async () => {
    const { clients, world, textsTo } = await setup();
    clients[0]!.emit('disconnected', 'NAVIGATION');
    world.message(user, 'السلام عليكم');
    world.chat(user).unread = 0; // opened on the association's phone meanwhile
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
  });

  it('should reach as far back again when catching up failed, once it succeeds', async () => {
    const { clients, world, textsTo, channel, dir } = await setup({}, true, (n) => ({
      start: n === 1 ? 'qr' : 'ready',
      chatsBreak: n === 2,
    }));
    // The link was last up, with everything handed over, half an hour ago (and linked long before).
    const ago = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60;
    writeFileSync(join(dir, 'whatsapp', 'alive-at'), String(ago(30)));
    writeFileSync(join(dir, 'whatsapp', 'linked-at'), String(ago(24 * 60)));
    // Someone wrote 25 minutes ago, and the chat was opened on the phone since.
    world.message(user, 'السلام عليكم', { timestamp: ago(25) });
    world.chat(user).unread = 0;
    clients[0]!.emit('disconnected', 'NAVIGATION');
    await waitFor(() => clients.length === 2 && channel.status().state === 'ready');
    await new Promise((resolve) => setTimeout(resolve, 500)); // healthy checks, but nothing caught up
    expect(textsTo(user)).toEqual([]);
    clients[1]!.emit('disconnected', 'NAVIGATION');
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
  });

  it('should answer what the old client still delivered during a restart', async () => {
    const { clients, world, textsTo } = await setup();
    clients[0]!.emit('disconnected', 'NAVIGATION');
    clients[0]!.receive(user, 'السلام عليكم');
    world.chat(user).unread = 0; // read on the old page: only its event carries it
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
  });

  it('should not answer twice what it had answered, when catching up finds it still unread', async () => {
    const { clients, textsTo, channel } = await setup();
    clients[0]!.seenBreaks = true; // nothing gets marked read: catching up will see both again
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    clients[0]!.emit('disconnected', 'NAVIGATION');
    await waitFor(() => clients.length === 2 && channel.status().state === 'ready');
    clients[1]!.receive(user, '1'); // agrees to the privacy notice
    await waitFor(() => textsTo(user).length === 2);
    expect(textsTo(user)[1]).toContain(consentThanks);
    expect(textsTo(user)).toHaveLength(2);
  });
});

describe('WhatsApp: a person who writes from an @lid id', () => {
  it('should keep one conversation when they move from their phone id to an @lid one, and reply to the @lid', async () => {
    const { app, clients, world, textsTo } = await setup();
    world.phoneOfLid.set(lid, user);
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    clients[0]!.receive(lid, '1'); // agrees to the privacy notice, from the new id
    await waitFor(() => textsTo(lid).length === 1);
    expect(textsTo(lid)[0]).toContain(consentThanks); // the dialog went on: it did not start over
    const rows = app.database.db.select().from(conversations).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ chatId: user, platformPhone: '+966501234567' });

    // Back on the phone id: still the same conversation, and the reply goes where they wrote from.
    clients[0]!.receive(user, '١'); // the menu's first item: general enquiries
    await waitFor(() => textsTo(user).length === 2);
    expect(textsTo(user)[1]).toContain('اختر موضوع استفسارك');
    expect(app.database.db.select().from(conversations).all()).toHaveLength(1);
  });

  it('should show staff the phone of a person who only ever wrote from an @lid id', async () => {
    const { app, clients, world, textsTo } = await setup();
    world.phoneOfLid.set(lid, user);
    clients[0]!.receive(lid, 'السلام عليكم');
    await waitFor(() => textsTo(lid).length === 1);
    expect(app.database.db.select().from(conversations).get()).toMatchObject({
      chatId: lid,
      platformPhone: '+966501234567',
    });
  });

  it('should answer once a message WhatsApp delivers again under the sender’s @lid id', async () => {
    const { clients, world, textsTo } = await setup();
    world.phoneOfLid.set(lid, user);
    const first = clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    clients[0]!.receive(lid, 'السلام عليكم', { ownId: first.id.id });
    clients[0]!.receive(lid, '1');
    await waitFor(() => textsTo(lid).length === 1);
    expect(textsTo(lid)[0]).toContain(consentThanks);
    expect(textsTo(user).length + textsTo(lid).length).toBe(2);
  });

  it('should not keep asking WhatsApp about an @lid whose phone it does not tell', async () => {
    const { app, clients, world, textsTo } = await setup();
    for (const text of ['السلام عليكم', '1', '١']) {
      clients[0]!.receive(lid, text);
      await waitFor(() => textsTo(lid).length === ['السلام عليكم', '1', '١'].indexOf(text) + 1);
    }
    expect(world.lookups).toBe(1);
    expect(app.database.db.select().from(conversations).get()).toMatchObject({ chatId: lid, platformPhone: null });
  });
});

describe('WhatsApp: sends that lie', () => {
  it('should not count a send that resolved nothing as sent, and deliver the reply after', async () => {
    const { clients, textsTo } = await setup();
    clients[0]!.sendTroubles.push('undefined');
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    expect(textsTo(user)[0]).toContain(consentQuestion);
  });

  it('should send a reply once when the send failed after the message went out', async () => {
    const { app, clients, textsTo } = await setup();
    clients[0]!.sendTroubles.push('throwAfterDelivery');
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => app.database.db.select().from(outbox).where(eq(outbox.status, 'sent')).all().length === 1);
    clients[0]!.receive(user, '1');
    await waitFor(() => textsTo(user).length >= 2);
    expect(textsTo(user)).toHaveLength(2);
    expect(textsTo(user)[0]).toContain(consentQuestion);
    expect(textsTo(user)[1]).toContain(consentThanks);
  });

  it('should check with the new client whether a reply went out before the page broke, before sending it again', async () => {
    const { channel, clients, textsTo } = await setup();
    clients[0]!.sendTroubles.push('breakAfterDelivery');
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => clients.length === 2 && channel.status().state === 'ready');
    clients[1]!.receive(user, '1');
    await waitFor(() => textsTo(user).length >= 2);
    expect(textsTo(user).filter((t) => t.includes(consentQuestion))).toHaveLength(1);
    expect(textsTo(user)[1]).toContain(consentThanks);
  });

  it('should deliver replies when marking the chat read breaks', async () => {
    const { clients, textsTo, logLines } = await setup();
    clients[0]!.seenBreaks = true;
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    await vi.waitFor(() => expect(logLines.some((l) => l.includes('sendSeen failed'))).toBe(true));
  });
});
