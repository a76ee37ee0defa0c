import type { TranscriptFlag } from '../db/transcript.ts';
import { may, type Role } from '../domain/permissions.ts';

/**
 * The one rule for what a staff member may read of a message marked `flag`, wherever it is shown
 * (the transcript, the unsent replies): the placeholder they see instead, or undefined when they
 * may read it. An answer to a rating question is never shown (nobody learns who rated their work,
 * or how); what was said in a complaint about a staff member is for managers; health details (an
 * application's need and documents, and the assistant's summary of them) for the roles that need them.
 */
export function hiddenFor(role: Role | undefined, flag: TranscriptFlag | undefined): string | undefined {
  if (flag === 'rating') return 'rating:console.hidden';
  if (flag === 'aboutStaff' && role !== 'manager') return 'tickets:console.aboutStaffHidden';
  if (flag === 'health' && !(role && may(role, 'health'))) return 'privacy:console.healthHidden';
  return undefined;
}
