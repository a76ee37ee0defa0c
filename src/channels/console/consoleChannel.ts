import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { OutboundMessage } from '../../domain/messages.ts';
import { type Channel, ChannelSendError, type EngineInbox } from '../../engine/channel.ts';
import { render } from './render.ts';
import { toInbound } from './toInbound.ts';

/**
 * A chat in the terminal, for trying the assistant and for scripted checks: reads lines from
 * `input` (a terminal or a pipe), prints replies with numbered options, and reports the end of
 * input through `finished` so that the caller can wait for the last replies and exit.
 */
export class ConsoleChannel implements Channel {
  readonly name = 'console';
  /** Resolves when the input has ended and every line has been handed to the engine. */
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly chatId: string,
    private readonly interactive: boolean,
    /** Waits until the replies to what was handed over are printed; keeps a piped script in step. */
    private readonly settle: () => Promise<void> = async () => {},
  ) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  async start(inbox: EngineInbox): Promise<void> {
    const last = inbox.lastReply(this.name, this.chatId);
    if (last) this.print(last);
    else
      await inbox.handle({
        channel: this.name,
        chatId: this.chatId,
        messageId: `hello:${Date.now()}`,
        kind: 'command',
        command: 'start',
      });

    const lines = createInterface({ input: this.input, terminal: false });
    let chain: Promise<unknown> = this.settle();
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      chain = chain.then(async () => {
        if (!this.interactive) this.output.write(`\n> ${line}\n`);
        await inbox.handle(toInbound(line, this.chatId));
        await this.settle();
      });
    });
    lines.on('close', () => {
      void chain.finally(() => this.finish());
    });
  }

  /**
   * Prints a reply to this terminal's own chat. A reply for another chat on the same channel (a
   * staff member answering a chat held under an earlier `CONSOLE_USER`) is never shown here:
   * whoever reads this terminal is not that person. It fails as unreachable, visible on `/outbox`.
   */
  async send(chatId: string, message: OutboundMessage): Promise<void> {
    if (chatId !== this.chatId) {
      throw new ChannelSendError('This terminal shows only its own chat (CONSOLE_USER).', 'unreachable');
    }
    this.print(message);
  }

  async stop(): Promise<void> {}

  private print(message: OutboundMessage): void {
    this.output.write(`\n${render(message)}\n${this.interactive ? '> ' : ''}`);
  }
}
