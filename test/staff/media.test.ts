import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordMedia } from '../../src/db/media.ts';
import { MediaStore } from '../../src/engine/mediaStore.ts';
import { beneficiaryAsksForStaff, consoleSetups } from './consoleHarness.ts';

const dataKey = 'd'.repeat(64);
const setup = consoleSetups({ DATA_KEY: dataKey });

describe('staff console › received files', () => {
  it('should serve an encrypted file decrypted to staff who may see it, and nothing to others', async () => {
    const s = await setup();
    const conversationId = await beneficiaryAsksForStaff(s.app, 'amal');
    const report = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('MEDICAL-REPORT-amal')]);
    const stored = await new MediaStore(s.dataDir, 100_000, dataKey).save(report);
    expect(readFileSync(join(s.dataDir, stored.path)).includes(Buffer.from('MEDICAL-REPORT-amal'))).toBe(false);
    const mediaId = recordMedia(s.app.database.db, { conversationId, kind: 'photo', ...stored });

    const officer = await s.loggedIn('huda');
    const response = await officer.get(`/media/${mediaId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(report));

    const stranger = s.browser();
    const refused = await stranger.get(`/media/${mediaId}`);
    await refused.arrayBuffer();
    expect(refused.status).not.toBe(200);
  });
});
