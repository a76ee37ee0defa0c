/** How conversations begin, shared by the scripts: each step reached the way a person reaches it. */
export const menu = ['السلام عليكم', '1'];
export const aidConsent = [...menu, 'ابي اقدم طلب'];
export const aidName = [...aidConsent, '1'];
export const aidId = [...aidName, 'محمد عبدالله الحربي'];
export const aidPhone = [...aidId, '1010101010'];
export const aidCity = [...aidPhone, '0501234567'];
export const aidSummary = [
  ...aidCity,
  '1',
  '5',
  '3000',
  '1',
  'امي عندها سكر وتحتاج سرير طبي',
  'لاحقا',
  'لاحقا',
  'لاحقا',
];
/** A son applies for his father: «لابوي» at the name question says whose need it is, and who he is to them. */
export const forFather = [...aidName, 'لابوي', 'محمد عبدالله الحربي'];
export const complaintText = [...menu, 'عندي شكوى', '1'];
export const namedComplaint = 'ابي اشتكي على التاخير في الرد علي';
export const grievance = 'الموظف تأخر في الرد علي اسبوعين';
export const ambulanceQuestion = 'هل توفرون اسعاف لنقل ابوي لموعده في المستشفى؟';
export const complaintUrgency = [...complaintText, grievance, 'بدون صورة'];
export const complaintConfirm = [...complaintUrgency, 'ليست عاجلة'];
