import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { auditLog, outbox } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import type { Role } from '../../src/domain/permissions.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import { memoryLogger, tempDir } from '../helpers.ts';
import { FakeBotApi } from '../telegram/fakeBotApi.ts';
import { ar, browserTests, staffPassword } from './e2eHarness.ts';

/** The console's own words, from its Arabic locale. */
const t = (key: string) => ar(`console:${key}`) as string;

const { cleanups, loggedInPage } = browserTests();

/** The assistant on a fake Bot API (put in a state first), the console, one account per role. */
async function setup(env: Record<string, string> = {}, prepare: (api: FakeBotApi) => void = () => {}) {
  const api = await new FakeBotApi().start();
  prepare(api);
  const temp = tempDir();
  const config = loadConfig({ DATA_DIR: temp.dir, STAFF_PORT: '0', ...api.env(), ...env });
  const app: App = await startApp(config, memoryLogger().logger);
  cleanups.push(
    temp.remove,
    () => api.stop(),
    () => app.stop(),
  );
  for (const [username, role] of [
    ['huda', 'officer'],
    ['majed', 'manager'],
    ['admin', 'admin'],
  ] as [string, Role][]) {
    createStaffUser(app.database.db, {
      username,
      displayName: username,
      role,
      passwordHash: await hashPassword(staffPassword),
    });
  }
  const { port } = app.http.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const pageFor = (username: string) => loggedInPage(base, username);
  return { api, app, base, pageFor };
}

const user = 555000333;

describe('Unsent replies and channel alerts in the console (headless Chromium)', () => {
  it('should let a manager find a reply that failed for good and send it again, audited', async () => {
    const { api, app, pageFor } = await setup({}, (api) =>
      api.failures.set('sendMessage', [{ code: 400, description: 'Bad Request: message is too long' }]),
    );
    api.userSends(user, 'السلام عليكم');
    const rows = () => app.database.db.select().from(outbox).all();
    await api.waitFor(() => rows()[0]?.status === 'failed', 10_000, 'the reply marked failed');
    expect(api.texts(user)).toEqual([]);

    const page = await pageFor('majed');
    await page.click(`nav a:has-text("${t('nav.outbox')}")`);
    await page.waitForURL((url) => url.pathname === '/outbox');
    const row = page.locator('#unsent tbody tr');
    await expect(row.count()).resolves.toBe(1);
    expect(await row.textContent()).toContain('message is too long');
    await Promise.all([
      page.waitForURL((url) => url.search.includes('resent')),
      page.click(`#unsent button:has-text("${t('outbox.resend')}")`),
    ]);
    expect(await page.locator('main').textContent()).toContain(t('outbox.resent'));
    expect(await page.locator('main').textContent()).toContain(t('outbox.empty'));
    await api.waitFor(() => api.texts(user).length === 1, 10_000, 'the reply sent again');
    expect(rows()[0]).toMatchObject({ status: 'sent' });
    const audit = app.database.db.select().from(auditLog).where(eq(auditLog.action, 'resend')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ objectType: 'outbox', objectId: String(rows()[0]?.id) });
  });

  it('should show an officer no reply of a conversation that never reached staff, and no admin any', async () => {
    const { api, app, base, pageFor } = await setup({}, (api) =>
      api.failures.set('sendMessage', [{ code: 400, description: 'Bad Request: message is too long' }]),
    );
    api.userSends(user, 'السلام عليكم');
    await api.waitFor(() => app.database.db.select().from(outbox).get()?.status === 'failed', 10_000, 'a failure');
    const id = app.database.db.select().from(outbox).get()?.id;

    const officer = await pageFor('huda');
    await officer.goto(`${base}/outbox`);
    expect(await officer.locator('main').textContent()).toContain(t('outbox.empty'));
    // Not by posting to it either: the button's form, aimed at that reply, is refused as unknown.
    const status = await officer.evaluate(
      async ([url, csrf]) =>
        (await fetch(url as string, { method: 'POST', body: new URLSearchParams({ _csrf: csrf as string }) })).status,
      [`${base}/outbox/${id}/resend`, await officer.locator('body').getAttribute('data-csrf')],
    );
    expect(status).toBe(404);
    expect(app.database.db.select().from(outbox).get()?.status).toBe('failed');

    const admin = await pageFor('admin');
    expect(await admin.locator(`nav a:has-text("${t('nav.outbox')}")`).count()).toBe(0);
    const response = await admin.goto(`${base}/outbox`);
    expect(response?.status()).toBe(403);
  });

  it('should tell admins on every page and in the staff chat, once, when another program takes the bot, and /health say 503', async () => {
    const staffChat = -100500;
    const { api, base, pageFor } = await setup(
      { ALERT_TELEGRAM_CHAT_ID: String(staffChat), ALERT_CHECK_MS: '100', HEALTH_TELEGRAM_MINUTES: '0.1' },
      (api) => {
        api.otherPoller = true;
      },
    );
    const alert = ar('alerts:conflict', { channel: ar('alerts:channels.telegram') }) as string;
    await api.waitFor(() => api.texts(staffChat).length === 1, 10_000, 'the alert in the staff chat');
    expect(api.texts(staffChat)).toEqual([alert]);

    const admin = await pageFor('admin');
    for (const path of ['/accounts', '/whatsapp']) {
      await admin.goto(`${base}${path}`);
      expect(await admin.locator('#channel-alerts').textContent()).toContain(alert);
    }
    const manager = await pageFor('majed');
    expect(await manager.locator('#channel-alerts').count()).toBe(0);

    // Many checks later, still said once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(api.texts(staffChat)).toHaveLength(1);

    const health = async () => {
      const response = await fetch(`${base}/health`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const start = Date.now();
    let answer = await health();
    while (answer.status === 200 && Date.now() - start < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await health();
    }
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      status: 'unhealthy',
      channels: { telegram: { state: 'conflict', up: false } },
    });
    expect(String(answer.body.reasons)).toContain('telegram has not been up');
    expect(JSON.stringify(answer.body)).not.toContain(api.token);
  });
});
