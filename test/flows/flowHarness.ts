import { type AnyStateMachine, createActor } from 'xstate';
import type { FlowEvent, FlowOutput, GlobalWord } from '../../flows/events.ts';
import { rootMachine } from '../../flows/root/rootMachine.ts';
import { normalize } from '../../src/domain/normalize.ts';

/**
 * Drives a flow the way the engine does (restore from a JSON snapshot for every event), with no
 * database: `send` returns what the flow emitted for that event.
 */
export function harness(machine: AnyStateMachine = rootMachine) {
  let snapshot: unknown;
  const run = (event?: FlowEvent): FlowOutput[] => {
    const outputs: FlowOutput[] = [];
    const actor = createActor(machine, snapshot ? { snapshot: snapshot as never } : { input: {} });
    actor.on('*', (o) => outputs.push(o as FlowOutput));
    actor.start();
    if (event) actor.send(event);
    snapshot = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    return outputs;
  };
  const keys = (outputs: FlowOutput[]) => outputs.filter((o) => o.type === 'reply').map((o) => o.key);
  return {
    /** Sends an event; returns the reply keys. */
    send: (event: FlowEvent) => keys(run(event)),
    /** Sends an event; returns everything emitted (replies and effects). */
    sendRaw: (event: FlowEvent) => run(event),
    choose: (id: string) => keys(run({ type: 'choice', id })),
    type: (text: string) => keys(run({ type: 'text', text, normalized: normalize(text) })),
    say: (word: GlobalWord) => keys(run({ type: 'global', word })),
    /** The options offered by the last reply that offered any. */
    options: (event: FlowEvent) =>
      run(event)
        .filter((o) => o.type === 'reply')
        .findLast((o) => o.options)
        ?.options?.map((o) => o.id),
    /** The root's state, or the dialog's while the bot has the conversation. */
    state: () => {
      const root = snapshot as { value: unknown; children: { dialog?: { snapshot: { value: unknown } } } };
      return root.value === 'bot' ? root.children.dialog?.snapshot.value : root.value;
    },
  };
}

/** A root flow already past greeting, language (Arabic) and consent, at the main menu. */
export function atMenu() {
  const h = harness();
  h.type('السلام عليكم');
  h.choose('ar');
  h.choose('agree');
  return h;
}
