import type { Role } from './permissions.ts';

/**
 * The stages of an aid request, from the policy's eight-step mechanism: received, verified by
 * the research department (asking for what is missing, visiting where needed), decided by
 * management, registered, served. `closed` is the applicant withdrawing before a decision.
 */
export const caseStages = [
  'submitted',
  'under_research',
  'incomplete',
  'field_visit',
  'management_review',
  'approved',
  'rejected',
  'registered',
  'served',
  'closed',
] as const;

/** A stage of an aid request. */
export type CaseStage = (typeof caseStages)[number];

/** Stages in which a request is still open: a second request of the same kind is not taken. */
export const openStages: readonly CaseStage[] = [
  'submitted',
  'under_research',
  'incomplete',
  'field_visit',
  'management_review',
  'approved',
  'registered',
];

/** Stages the applicant may still withdraw from (before a decision). */
export const withdrawableStages: readonly CaseStage[] = [
  'submitted',
  'under_research',
  'incomplete',
  'field_visit',
  'management_review',
];

/**
 * The one transition table: from each stage, the stages it may move to and the roles that may
 * move it there (a manager may do what the research department does). Withdrawal by the
 * applicant is not a staff transition: it is allowed from {@link withdrawableStages}.
 */
export const caseTransitions: Record<CaseStage, Partial<Record<CaseStage, readonly Role[]>>> = {
  submitted: { under_research: ['researcher', 'manager'] },
  under_research: {
    incomplete: ['researcher', 'manager'],
    field_visit: ['researcher', 'manager'],
    management_review: ['researcher', 'manager'],
  },
  incomplete: { under_research: ['researcher', 'manager'] },
  field_visit: { field_visit: ['researcher', 'manager'], management_review: ['researcher', 'manager'] },
  management_review: {
    approved: ['manager'],
    rejected: ['manager'],
    under_research: ['manager'],
  },
  approved: { registered: ['officer', 'manager'] },
  rejected: {},
  registered: { served: ['officer', 'manager'] },
  served: {},
  closed: {},
};

/** Whether `role` may move a request from `from` to `to`. */
export function mayMove(role: Role, from: CaseStage, to: CaseStage): boolean {
  return caseTransitions[from][to]?.includes(role) ?? false;
}
