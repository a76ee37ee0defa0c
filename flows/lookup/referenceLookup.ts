import { and, assign, type EventObject, type MachineContext, sendParent } from 'xstate';
import { asideGuards, asides, smallTalkAnswer, topicAnswer } from '../asides.ts';
import {
  type Effect,
  type EffectRequest,
  effect,
  type Locale,
  noOptions,
  type OptionSpec,
  type Reply,
  reply,
  type SystemEvent,
} from '../events.ts';
import { choiceOf } from '../eventWords.ts';

/** What a person follows up by its reference: an aid request or a complaint. */
export interface Followed {
  reference: string;
}

/** The part of a flow's context a lookup works on. */
export interface LookupContext<S extends Followed> extends MachineContext {
  /** This chat's own, newest first. */
  mine: S[];
  /** A reference given and not yet looked up. */
  reference: string | undefined;
  /** The one being followed. */
  current: S | undefined;
}

type NotFound = Extract<SystemEvent, { type: 'case.notFound' | 'ticket.notFound' }>;
type Found = Extract<SystemEvent, { type: 'case.found' | 'ticket.found' }>;

/** What differs between the follow-up of a request and of a complaint. */
export interface LookupSpec<S extends Followed, C extends LookupContext<S>> {
  /** The namespace of the texts: `<ns>:choose`, `<ns>:option.other`, `<ns>:ask.reference`, `<ns>:notReference`, `<ns>:typo`, `<ns>:notFound`. */
  ns: 'followUp' | 'complaint';
  /** An item of the chat's own as an option: its id and the text of its button. */
  option(item: S): { id: string; key: string; labels: Record<Locale, string> };
  /** The reference of this kind written in an event's text, if any. */
  referenceIn(event: EventObject): string | undefined;
  /** The effect that looks a reference up; answered by a `Found` or a `NotFound` event. */
  lookUp(context: C): EffectRequest;
  /** The ways out offered when a message holds no reference (a person, the menu…): nobody is stuck at the question. */
  escapes: readonly OptionSpec[];
}

const own = <S extends Followed>(context: LookupContext<S>) =>
  context.mine.find((s) => s.reference === context.reference);

/**
 * The actions of a lookup, implemented once for the flows that follow something up (the
 * follow-up of requests, the complaints): they choose among the chat's own, ask for a reference,
 * look it up, and tell a mistyped reference, an unknown one and a cool-down apart.
 */
export function lookupActions<S extends Followed, C extends LookupContext<S>, E extends EventObject>(
  spec: LookupSpec<S, C>,
) {
  const set = (update: (context: C, event: E) => Partial<LookupContext<S>>) =>
    assign<C, E, undefined, E, never>(({ context, event }) => update(context, event) as Partial<C>);
  const say = (what: Reply | Effect | ((context: C, event: E) => Reply | Effect)) =>
    sendParent<C, E, undefined, Reply | Effect, E>(
      typeof what === 'function' ? ({ context, event }) => what(context, event) : what,
    );
  return {
    keepReference: set((_, event) => ({ reference: spec.referenceIn(event) })),
    showOwnReference: set((context) => ({ current: own(context), reference: undefined })),
    showOnlyOne: set((context) => ({ current: context.mine[0] })),
    showChosen: set((context, event) => ({ current: context.mine.find((s) => spec.option(s).id === choiceOf(event)) })),
    keepFound: set((_, event) => ({
      current: (event as unknown as Found).summary as unknown as S,
      reference: undefined,
    })),
    promptChoose: say((context) =>
      reply(`${spec.ns}:choose`, [...context.mine.map(spec.option), { id: 'other', key: `${spec.ns}:option.other` }]),
    ),
    promptReference: say(reply(`${spec.ns}:ask.reference`, noOptions)),
    answerTopic: say((_, event) => topicAnswer(event)),
    answerSmallTalk: say((_, event) => smallTalkAnswer(event)),
    sayNotReference: say(reply(`${spec.ns}:notReference`, spec.escapes)),
    lookUp: say((context) => effect(spec.lookUp(context))),
    sayNotFound: say((context, event) => {
      const { reason, until } = event as unknown as NotFound;
      const reference = context.reference ?? '';
      if (reason === 'typo') return reply(`${spec.ns}:typo`, undefined, { reference });
      if (reason === 'coolDown')
        return until === undefined
          ? reply('followUp:coolDownLater')
          : reply('followUp:coolDown', undefined, { untilAt: until });
      return reply(`${spec.ns}:notFound`, undefined, { reference });
    }),
  };
}

/** The guards of a lookup. */
export function lookupGuards<S extends Followed, C extends LookupContext<S>>(spec: LookupSpec<S, C>) {
  type Args = { context: LookupContext<S>; event: EventObject };
  return {
    ...asideGuards,
    'hasReference?': ({ context }: Args) => context.reference !== undefined,
    'isOwnReference?': ({ context }: Args) => own(context) !== undefined,
    'hasOne?': ({ context }: Args) => context.mine.length === 1,
    'hasSeveral?': ({ context }: Args) => context.mine.length > 1,
    'hasAny?': ({ context }: Args) => context.mine.length > 0,
    'isOwnChoice?': ({ context, event }: Args) => context.mine.some((s) => spec.option(s).id === choiceOf(event)),
    'isReferenceText?': ({ event }: Args) => spec.referenceIn(event) !== undefined,
    'isCoolDown?': ({ event }: Args) => (event as unknown as NotFound).reason === 'coolDown',
  };
}

/**
 * The states that find what a person follows up, named the same in both flows: `finding` routes
 * a reference given (the chat's own is shown at once), the chat's only item, a choice among
 * several, or the question for a reference; `lookingUp` waits for the engine's answer; `showing`
 * is the flow's own, then `ready` waits for another one, a reference, the menu or «رجوع».
 * `verify` is where a reference not the chat's own goes first (the follow-up asks for the ID's
 * last four digits); `textFirst` is tried before any text where a reference is awaited;
 * `backFromReference` is where «رجوع» leads from the question for a reference.
 */
export function lookupStates<
  const V extends 'lookingUp' | 'askLastFour',
  const T extends readonly unknown[],
  const B,
  const F extends Found['type'],
  const N extends NotFound['type'],
  const R extends readonly unknown[],
  const O extends object,
  const E,
>(options: {
  verify: V;
  textFirst: T;
  backFromReference: B;
  found: F;
  notFound: N;
  /** What the person may do with what is shown, before another one or the menu (and `other` events, a file…). */
  ready: { choice: R; other: O };
  /** What choosing one of the spec's `escapes` does at the question for a reference. */
  escape: E;
}) {
  const say = (key: string) => ({ type: 'say', params: { key } }) as const;
  return {
    finding: {
      always: [
        { guard: and(['hasReference?', 'isOwnReference?']), target: 'showing', actions: 'showOwnReference' },
        { guard: 'hasReference?', target: options.verify },
        { guard: 'hasOne?', target: 'showing', actions: 'showOnlyOne' },
        { guard: 'hasSeveral?', target: 'choosing' },
        { target: 'askReference' },
      ],
    },
    choosing: {
      entry: 'promptChoose',
      on: {
        choice: [
          { guard: 'isOwnChoice?', target: 'showing', actions: 'showChosen' },
          { guard: { type: 'isChoice?', params: { id: 'other' } }, target: 'askReference' },
        ],
        text: [
          ...options.textFirst,
          { guard: 'isReferenceText?', target: 'finding', actions: 'keepReference' },
          { target: 'choosing', reenter: true, actions: say('common:notUnderstood') },
        ],
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    askReference: {
      entry: 'promptReference',
      on: {
        choice: options.escape,
        text: [
          ...options.textFirst,
          { guard: 'isReferenceText?', target: 'finding', actions: 'keepReference' },
          // No reference in it: a call for a person, a question or small talk is answered, and the reference asked again.
          ...asides('askReference'),
          { actions: 'sayNotReference' },
        ],
        global: options.backFromReference,
      },
    },
    lookingUp: {
      entry: 'lookUp',
      on: {
        [options.found]: { target: 'showing', actions: 'keepFound' },
        [options.notFound]: [
          { guard: 'isCoolDown?', target: 'done', actions: 'sayNotFound' },
          { target: 'askReference', actions: 'sayNotFound' },
        ],
      },
    },
    /** What is shown (its `showing` state is the flow's own) stays there until the person moves on. */
    ready: {
      on: {
        ...options.ready.other,
        choice: [
          ...options.ready.choice,
          { guard: and([{ type: 'isChoice?', params: { id: 'another' } }, 'hasSeveral?']), target: 'choosing' },
          { guard: { type: 'isChoice?', params: { id: 'another' } }, target: 'askReference' },
          { guard: { type: 'isChoice?', params: { id: 'menu' } }, target: 'done' },
        ],
        text: [
          ...options.textFirst,
          { guard: 'isReferenceText?', target: 'finding', actions: 'keepReference' },
          { actions: [say('common:notUnderstood'), 'promptNext'] },
        ],
        global: [
          { guard: and(['isBack?', 'hasSeveral?']), target: 'choosing' },
          { guard: 'isBack?', target: 'done' },
        ],
      },
    },
  } as const;
}
