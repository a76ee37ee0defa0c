import { describe, expect, it } from 'vitest';
import { serializeError } from '../src/logger.ts';

describe('serializeError', () => {
  it("should keep an error's kind and place but not the values of a failed query", () => {
    const error = new Error('Failed query: insert into "transcript" ("text") values (?)\nparams: رقم هويتي 1000000008');
    const logged = JSON.stringify(serializeError(error));
    expect(logged).toContain('Failed query');
    expect(logged).not.toContain('1000000008');
    expect(logged).not.toContain('رقم هويتي');
  });
});
