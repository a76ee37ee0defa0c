import type { Script } from './scripts.ts';

/** More conversations that deviate from the form, step by step in every flow (see scripts.ts). */
export const deviations: Script[] = [];
