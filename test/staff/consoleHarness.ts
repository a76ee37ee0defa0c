import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import type { Role } from '../../src/domain/permissions.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import { memoryLogger, tempDir } from '../helpers.ts';

/** A browser-like client: keeps cookies, does not follow redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request, e.g. an `x-forwarded-for` to come from another address. */
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request('POST', path, new URLSearchParams(form).toString());
  }

  /** The CSRF token of the last page that had a form. */
  static csrfOf(page: string): string {
    return page.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  }

  async login(username: string, password: string): Promise<Response> {
    const page = await (await this.get('/login')).text();
    return this.post('/login', { _csrf: Browser.csrfOf(page), username, password });
  }

  /** A token for forms, read from a page only a logged-in user sees. */
  async csrf(): Promise<string> {
    const page = await (await this.get('/canned')).text();
    const fromCanned = Browser.csrfOf(page);
    return fromCanned || Browser.csrfOf(await (await this.get('/accounts')).text());
  }

  private async request(method: string, path: string, body?: string): Promise<Response> {
    const response = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...this.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }
}

/** The assistant with its staff console on a free port, and a few accounts. */
export async function consoleSetup(env: Record<string, string> = {}) {
  const temp = tempDir();
  const { logger, lines } = memoryLogger();
  const config = loadConfig({ DATA_DIR: temp.dir, STAFF_PORT: '0', ...env });
  const app: App = await startApp(config, logger);
  const { port } = app.http.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const password = 'correct horse battery';
  const accounts: Record<string, number> = {};
  for (const [username, role] of [
    ['huda', 'officer'],
    ['omar', 'officer'],
    ['rana', 'researcher'],
    ['majed', 'manager'],
    ['admin', 'admin'],
  ] as [string, Role][]) {
    accounts[username] = createStaffUser(app.database.db, {
      username,
      displayName: username,
      role,
      passwordHash: await hashPassword(password),
    }).id;
  }
  return {
    app,
    base,
    dataDir: temp.dir,
    /** What the app logged, one JSON line each. */
    logs: () => lines,
    password,
    accounts,
    browser: (headers?: Record<string, string>) => new Browser(base, headers),
    async loggedIn(username: string, headers?: Record<string, string>) {
      const browser = new Browser(base, headers);
      const response = await browser.login(username, password);
      if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
      return browser;
    },
    async close() {
      await app.stop();
      temp.remove();
    },
  };
}

let counter = 0;

/** A beneficiary on the terminal channel who goes through consent and asks for staff. */
export async function beneficiaryAsksForStaff(app: App, chatId: string, ...then: string[]): Promise<number> {
  for (const text of ['السلام عليكم', '1', 'موظف', ...then]) {
    await app.engine.handle({ channel: 'console', chatId, messageId: `${chatId}-${++counter}`, kind: 'text', text });
  }
  const { findConversation } = await import('../../src/db/conversations.ts');
  return findConversation(app.database.db, 'console', chatId)?.id ?? 0;
}

/** A running console from {@link consoleSetup}. */
export type ConsoleSetup = Awaited<ReturnType<typeof consoleSetup>>;

/**
 * The `setup()` of a test file: starts a console (with `defaults` under the test's own settings)
 * and closes every one a test started after it.
 */
export function consoleSetups(defaults: Record<string, string> = {}) {
  const open: ConsoleSetup[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return async (env: Record<string, string> = {}): Promise<ConsoleSetup> => {
    const s = await consoleSetup({ ...defaults, ...env });
    open.push(s);
    return s;
  };
}
