import type { Inbound } from '../domain/inbound.ts';
import type { OutboundMessage } from '../domain/messages.ts';

/** What a channel adapter can ask of the engine. */
export interface EngineInbox {
  /**
   * Hands over one inbound message. Resolves once it is committed (or recognised as a
   * duplicate): only then may the platform be told that the message was received.
   */
  handle(inbound: Inbound): Promise<'accepted' | 'duplicate'>;
  /** The last message the bot sent to a chat, to show again when a chat is reopened. */
  lastReply(channel: string, chatId: string): OutboundMessage | undefined;
  /**
   * Resolves when the engine can take more (back-pressure): a channel that can leave messages
   * with the platform (Telegram) waits on it before fetching more. Absent: always room.
   */
  room?(): Promise<void>;
}

/**
 * What the assistant offers a channel besides the engine. Optional for the channel to use: a
 * channel that is never "not ready" (the terminal, Telegram's HTTP API) can ignore it.
 */
export interface ChannelHooks {
  /**
   * Call when the channel becomes able to send again (WhatsApp's `ready` after a start, a
   * restart or a re-link): replies that waited with a `notReady` failure are sent at once
   * instead of at their next back-off. Cheap and safe to call any number of times.
   */
  ready(): void;
}

/** One messaging platform: receives updates into the engine and sends rendered replies. */
export interface Channel {
  readonly name: string;
  /**
   * Starts receiving. Resolves when the channel is up (not when it stops). `hooks.ready()` is
   * called by the channel whenever it becomes able to send again.
   */
  start(inbox: EngineInbox, hooks?: ChannelHooks): Promise<void>;
  /** Delivers one reply. Throws a {@link ChannelSendError} to ask for a retry or give up. */
  send(chatId: string, message: OutboundMessage): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How a delivery failed: `retry` (network, server error, rate limit: try again, after
 * `retryAfterMs` when the platform said so), `unreachable` (the user blocked the bot or the chat
 * is gone: stop sending to this chat), `rejected` (the platform refused this one message for
 * good; the chat is fine), or `notReady` (the channel itself is not connected now — starting,
 * restarting, waiting for a link: nothing was attempted, so it is not counted as a delivery
 * attempt; the reply waits with back-off until the outbox's deadline, 48 hours by default, and is
 * sent at once when the channel calls {@link ChannelHooks.ready}).
 */
export type SendFailure = 'retry' | 'unreachable' | 'rejected' | 'notReady';

/** A failed delivery, classified by the channel so that the outbox knows what to do next. */
export class ChannelSendError extends Error {
  override name = 'ChannelSendError';

  constructor(
    message: string,
    readonly failure: SendFailure,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
