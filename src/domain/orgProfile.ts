/** The organisation's public profile: what the bot tells beneficiaries about who it speaks for. */
export interface OrgProfile {
  name: { ar: string; en: string };
  city: { ar: string; en: string };
  registrationNumber: string;
  registrationDateHijri: string;
  phone: string;
  website: string;
  email: string;
  /** Working days as `Date#getDay()` numbers, e.g. Sunday–Thursday = [0, 1, 2, 3, 4]. */
  workingDays: number[];
  workingHours: { from: string; to: string };
  timeZone: string;
}
