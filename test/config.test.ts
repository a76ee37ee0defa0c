import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it("should default to the association's profile from the policy", () => {
    const config = loadConfig({});
    expect(config.org.name.ar).toBe('جمعية عطاء الصحية');
    expect(config.org.registrationNumber).toBe('1748');
    expect(config.org.phone).toBe('0509994514');
    expect(config.org.workingDays).toEqual([0, 1, 2, 3, 4]);
    expect(config.org.timeZone).toBe('Asia/Riyadh');
    expect(config.dataDir).toBe('./data');
    expect(config.decisionDays).toBe(14);
  });

  it('should let another association configure its own profile', () => {
    const config = loadConfig({ ORG_NAME_EN: 'Another Charity', ORG_WORKING_DAYS: 'sat-wed', ORG_PHONE: '0112345678' });
    expect(config.org.name.en).toBe('Another Charity');
    expect(config.org.workingDays).toEqual([6, 0, 1, 2, 3]);
  });

  it.each([
    ['ORG_EMAIL', 'not-an-email'],
    ['ORG_TIMEZONE', 'Mars/Olympus'],
    ['ORG_WORKING_HOURS', '8-15'],
    ['DECISION_DAYS', 'two weeks'],
    ['LOG_LEVEL', 'loud'],
  ])('should stop with one line naming %s when it is bad', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`^Configuration: ${variable} must be .+`));
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('should have every variable documented in .env.example, with values that load', () => {
    const example = readFileSync('.env.example', 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z_]+)=/gm)].map((m) => m[1]);
    for (const variable of configVariables) expect(documented, variable).toContain(variable);
    const env = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
