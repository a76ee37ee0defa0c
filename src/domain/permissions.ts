/** The roles, from the policy's departments. */
export const roles = ['officer', 'researcher', 'manager', 'admin'] as const;

/** What a staff member may do depends on this. */
export type Role = (typeof roles)[number];

/** The console's areas and the roles that may use them (the policy's departments). */
export const areas = {
  /** The queue, conversations, replies, notes, canned replies. */
  queue: ['officer', 'manager'],
  /** Beneficiaries' records and contact history. */
  beneficiaries: ['officer', 'manager'],
  /** Aid cases: researchers verify and visit, managers decide, officers register, serve and open cases. */
  cases: ['officer', 'researcher', 'manager'],
  /** Complaints, suggestions and thanks: officers and managers (complaints about staff: managers only). */
  tickets: ['officer', 'manager'],
  /** The aid catalogue and the documents asked for. */
  catalogue: ['manager'],
  /** Who saw or changed what. */
  audit: ['manager'],
  /** Satisfaction, response times, the two-week promise, complaints: figures and charts. */
  reports: ['manager'],
  /** The questions the assistant did not understand, anonymised, to teach it. */
  understanding: ['manager'],
  /** People's requests to see or erase their data (PDPL), and finishing them within 30 days. */
  privacy: ['manager'],
  /**
   * Not a page: health details — an application's description of the need, its health consent,
   * its documents — shown only to the roles that study and decide requests (PDPL: access to
   * health data limited to the staff who need it).
   */
  health: ['researcher', 'manager'],
  /** Staff accounts. */
  accounts: ['admin'],
  /** The WhatsApp link: status and QR code. */
  whatsapp: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** An area of the console. */
export type Area = keyof typeof areas;

/** Whether `role` may use `area`. */
export function may(role: Role, area: Area): boolean {
  return (areas[area] as readonly Role[]).includes(role);
}

/** The first area a role lands on after logging in. */
export function homeOf(role: Role): Area {
  return (Object.keys(areas) as Area[]).find((area) => may(role, area)) ?? 'queue';
}
