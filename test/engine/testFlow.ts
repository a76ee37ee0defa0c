import { assign, emit, setup } from 'xstate';
import { effect, type FlowEvent, type FlowOutput, reply } from '../../flows/events.ts';

/**
 * A small flow for testing the engine alone: echoes text (and counts turns), throws on "boom",
 * asks for a durable timer on "wait", and says so when the timer fires.
 */
export const echoMachine = setup({
  types: { context: {} as { turns: number }, events: {} as FlowEvent, emitted: {} as FlowOutput },
  actions: {
    echo: emit(({ event }) => reply('test:echo', undefined, { text: event.type === 'text' ? event.text : event.type })),
    count: assign({ turns: ({ context }) => context.turns + 1 }),
    boom: () => {
      throw new Error('a flow bug');
    },
    wait: emit(effect({ name: 'timer.set', key: 'nudge', delayMs: 50 })),
    timeUp: emit(reply('test:timer')),
  },
}).createMachine({
  id: 'echo',
  context: { turns: 0 },
  entry: emit(reply('test:hello')),
  on: {
    text: [
      { guard: ({ event }) => event.text === 'boom', actions: 'boom' },
      { guard: ({ event }) => event.text === 'wait', actions: ['count', 'wait', 'echo'] },
      { actions: ['count', 'echo'] },
    ],
    timer: { actions: 'timeUp' },
  },
});
