/** The organisation's public profile: what the bot tells beneficiaries about who it speaks for. */
export interface OrgProfile {
  name: { ar: string; en: string };
  city: { ar: string; en: string };
  registrationNumber: string;
  registrationDateHijri: string;
  phone: string;
  /** Where someone with thoughts of self-harm is told to call (the Ministry of Health's 937 by default). */
  supportLine: string;
  website: string;
  email: string;
  /** Working days as `Date#getDay()` numbers, e.g. Sunday–Thursday = [0, 1, 2, 3, 4]. */
  workingDays: number[];
  workingHours: { from: string; to: string };
  timeZone: string;
}
