import { type ChildProcess, spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { topics as topicIds } from '../../flows/events.ts';
import { ConsoleChannel } from '../../src/channels/console/consoleChannel.ts';
import { render } from '../../src/channels/console/render.ts';
import { toInbound } from '../../src/channels/console/toInbound.ts';
import { tempDir } from '../helpers.ts';

const temps: { remove: () => void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function dataDir(): string {
  const t = tempDir();
  temps.push(t);
  return t.dir;
}

/** Starts `npm run chat`'s program with its own data directory. */
function chat(dir: string): ChildProcess & { out: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--chat'], {
    env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return Object.assign(child, { out: () => out });
}

/** Pipes a script into the chat and resolves with everything it printed once it exits. */
function runScript(dir: string, lines: string[]): Promise<string> {
  const child = chat(dir);
  child.stdin?.end(`${lines.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(child.out()) : reject(new Error(`exit ${code}: ${child.out()}`))));
  });
}

async function until(child: { out: () => string }, text: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!child.out().includes(text)) {
    if (Date.now() - start > timeoutMs) throw new Error(`did not see "${text}" in:\n${child.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('console channel', () => {
  it('should read a line as a command or as text', () => {
    expect(toInbound('/menu', 'local', 'x')).toEqual({
      channel: 'console',
      chatId: 'local',
      messageId: 'x',
      kind: 'command',
      command: 'menu',
    });
    expect(toInbound('1', 'local', 'y')).toMatchObject({ kind: 'text', text: '1' });
  });

  it("should print only its own user's replies, and refuse another chat's for good", async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    const terminal = new ConsoleChannel(new PassThrough(), output, 'local', false);
    await terminal.send('local', { locale: 'ar', text: 'لك' });
    const other = terminal.send('someone-else', { locale: 'ar', text: 'ليس لك' });
    await expect(other).rejects.toMatchObject({ name: 'ChannelSendError', failure: 'unreachable' });
    expect(printed).toContain('لك');
    expect(printed).not.toContain('ليس لك');
  });

  it('should number options with Arabic-Indic digits in Arabic', () => {
    const text = render({
      locale: 'ar',
      text: 'اختر',
      options: Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, label: `خيار ${i}` })),
    });
    expect(text).toContain('  ١. خيار 0');
    expect(text).toContain('  ١١. خيار 10');
    expect(render({ locale: 'en', text: 'Pick', options: [{ id: 'a', label: 'A' }] })).toBe('Pick\n  1. A');
  });

  it('should greet in Arabic and reach every enquiry topic in Arabic from a piped script', async () => {
    const topics = topicIds.flatMap((_, i) => [String(i + 1), '1']);
    const out = await runScript(dataDir(), [
      '١',
      '١',
      '١',
      ...topics.map((d) => d.replace(/\d/g, (x) => '٠١٢٣٤٥٦٧٨٩'[Number(x)] as string)),
    ]);
    expect(out).toContain('السلام عليكم ورحمة الله، أهلًا بك في جمعية عطاء الصحية');
    for (const phrase of [
      'مسجلة بوزارة الموارد البشرية',
      'مساعدات عينية',
      'تنبيه: إذا ثبت',
      'صورة الهوية الوطنية',
      'خطوات تقديم طلب',
      'أسبوعين (١٤ يومًا)',
      'البريد الإلكتروني: info@atta.a.org.sa',
      'أوقات العمل: من الأحد إلى الخميس',
      'من حقوقك',
    ]) {
      expect(out).toContain(phrase);
    }
  });

  it('should answer every line of a 60-line piped script: the terminal is never taken for a flood', async () => {
    const lines = ['١', '١', '١', ...Array.from({ length: 57 }, (_, i) => (i % 2 === 0 ? 'القائمة' : '١'))];
    const out = await runScript(dataDir(), lines);
    // Each line is echoed ("> line") and followed by the assistant's answer before the next one.
    const turns = out.split('\n> ').slice(1);
    expect(turns).toHaveLength(60);
    for (const [i, turn] of turns.entries()) {
      expect(turn.split('\n').filter((l) => l.trim()).length, `line ${i + 1}`).toBeGreaterThan(1);
    }
    expect(out).not.toContain('وصلتنا رسائل كثيرة');
  }, 60_000);

  it('should reach every enquiry topic in English, by number and in words', async () => {
    const out = await runScript(dataDir(), [
      'hello',
      '2',
      '1',
      '1',
      ...topicIds.flatMap((_, i) => [String(i + 1), 'another']),
      'what documents do I need?',
      'how long does it take?',
    ]);
    expect(out).toContain('English selected.');
    expect(out).toContain('How can I help you?');
    for (const phrase of [
      'registered with the Ministry',
      'in-kind aid',
      'Please note: if the information',
      'national ID or Iqama',
      'How to apply for aid',
      'two weeks (14 days)',
      'e-mail: info@atta.a.org.sa',
      'Working hours: Sunday to Thursday',
      'Your rights as a beneficiary',
    ]) {
      expect(out).toContain(phrase);
    }
    expect(out.match(/Documents usually needed/g)).toHaveLength(2);
    expect(out.match(/usually takes two weeks/g)).toHaveLength(2);
  });

  it('should continue at the consent step after the process is killed there', async () => {
    const dir = dataDir();
    const first = chat(dir);
    await until(first, 'Please choose your language');
    first.stdin?.write('1\n');
    await until(first, 'هل توافق؟');
    first.kill('SIGKILL');
    await new Promise((r) => first.on('exit', r));

    const out = await runScript(dir, ['1']);
    expect(out).toContain('هل توافق؟'); // shown again on reopening
    expect(out).toContain('شكرًا لك، تم تسجيل موافقتك.');
    expect(out).not.toContain('أهلًا بك في'); // no new greeting: the conversation went on
  });
});
