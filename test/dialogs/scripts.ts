import { deviations } from './deviations.ts';
import {
  aidCity,
  aidConsent,
  aidId,
  aidName,
  aidSummary,
  ambulanceQuestion,
  complaintConfirm,
  complaintText,
  complaintUrgency,
  forFather,
  grievance,
  menu,
  namedComplaint,
} from './prefixes.ts';

/**
 * Conversations written the way people deviate from a form: greetings, questions and requests
 * for a person where an answer is expected, yes and no in their own words. Each names its flow,
 * what the person writes from the first message on, and what must be true after the last one.
 * Every example of issue 20 that is fixed has its script here; `npm run dialogs:eval` reports.
 */
export interface Script {
  flow: 'first contact' | 'aid' | 'complaint' | 'followUp' | 'emergency';
  name: string;
  /** What the person writes, in order, from the first message. */
  turns: string[];
  /** The keys the last message's replies have, in this order (`handoff:*`: any key of that namespace). */
  last?: string[];
  /** Keys the last message's replies do not have. */
  lastNot?: string[];
  /** How the last message's replies begin, as the person reads them (what to do now, first). */
  startsWith?: string;
  /** Words the last message's replies have, as the person reads them. */
  lastText?: string[];
  /** The most lines the last message's replies may take on a phone. */
  maxLines?: number;
  /** When it happens (ISO); Sunday 10:00 in Riyadh, in working hours, by default. */
  at?: string;
  /** Keys no reply of the whole conversation may have. */
  never?: string[];
  /** Fields of the application's draft after the last message; `null`: not answered. */
  draft?: Record<string, unknown>;
  /** What was filed (complaints, suggestions, thanks), in order. */
  tickets?: { kind: string; text: string; urgent: boolean }[];
}

export const scripts: Script[] = [
  ...deviations,
  {
    flow: 'first contact',
    name: 'the first reply fits a phone screen: a greeting, the privacy notice in two lines, the question',
    turns: ['السلام عليكم'],
    last: ['root:greeting', 'root:consent.brief'],
    maxLines: 5,
  },
  {
    flow: 'first contact',
    name: '«التفاصيل» shows the whole privacy notice, and agreeing then goes on',
    turns: ['السلام عليكم', 'التفاصيل', 'أوافق'],
    last: ['root:consent.given', 'root:menu.prompt'],
  },
  {
    flow: 'first contact',
    name: 'a first message that is a grievance about a delay is not taken for a new application',
    turns: ['لي شهر مقدم على سرير طبي لامي وماحد رد علي', '1'],
    never: ['aid:intro'],
  },
  {
    flow: 'emergency',
    name: 'an emergency out of hours starts with what to do now, then says honestly nobody is in',
    at: '2026-11-27T17:00:00Z',
    turns: [...menu, 'ابوي طاح وما يتنفس'],
    last: ['handoff:emergencyClosed'],
    startsWith: 'اتصل الآن بالهلال الأحمر 997',
  },
  {
    flow: 'emergency',
    name: 'an emergency in hours starts with what to do now, then the place among urgent cases',
    turns: [...menu, 'ابوي طاح وما يتنفس'],
    last: ['handoff:emergency'],
    startsWith: 'اتصل الآن بالهلال الأحمر 997',
    lastText: ['ترتيبك بين الحالات العاجلة: ١'],
  },
  {
    flow: 'emergency',
    name: 'thoughts of self-harm get a word of care and a support line after the numbers',
    turns: [...menu, 'تعبت من الحياة وافكر انتحر'],
    last: ['handoff:emergency', 'handoff:care'],
    startsWith: 'اتصل الآن بالهلال الأحمر 997',
    lastText: ['937'],
  },
  {
    flow: 'emergency',
    name: 'a question about an ambulance to an appointment gets the numbers in one line, then its answer',
    turns: [...menu, ambulanceQuestion],
    last: ['handoff:numbers', 'enquiries:*'],
    never: ['handoff:emergency', 'handoff:emergencyClosed'],
  },
  {
    flow: 'emergency',
    name: 'after a question about an ambulance the conversation goes on',
    turns: [...menu, ambulanceQuestion, 'طيب وش المطلوب عشان اقدم على مساعده نقل'],
    last: ['enquiries:answer.apply'],
  },
  {
    flow: 'emergency',
    name: 'a question that names an ambulance and a danger is an emergency',
    turns: [...menu, 'هل عندكم اسعاف؟ امي تنزف'],
    startsWith: 'اتصل الآن بالهلال الأحمر 997',
  },
  {
    flow: 'emergency',
    name: 'an emergency in the middle of an application starts with what to do now',
    turns: [...aidName, 'الحقوني امي تنزف'],
    startsWith: 'اتصل الآن بالهلال الأحمر 997',
  },
  {
    flow: 'aid',
    name: 'a greeting at the name question is answered, and the name asked again',
    turns: [...aidName, 'السلام عليكم'],
    last: ['root:smallTalk.greeting', 'aid:ask.name'],
    draft: { name: null },
  },
  {
    flow: 'aid',
    name: 'asking for a person at the name question puts them through; nothing is saved as the name',
    turns: [...aidName, 'ممكن اتكلم مع انسان مو برنامج'],
    last: ['handoff:*'],
    draft: { name: null },
  },
  {
    flow: 'aid',
    name: 'a name the classifier would take for a greeting is still a name',
    turns: [...aidName, 'نورة سعد'],
    last: ['aid:ask.nationalId'],
    draft: { name: 'نورة سعد' },
  },
  {
    flow: 'aid',
    name: 'a question at the ID step gets its answer, and the ID is asked again',
    turns: [...aidId, 'كم ياخذ وقت عشان تردون علي'],
    last: ['enquiries:answer.duration', 'aid:ask.nationalId'],
    never: ['aid:invalid.idFormat'],
  },
  {
    flow: 'aid',
    name: 'a question at the health consent gets its answer, not «choose the number»',
    turns: [...aidConsent, 'وش الاوراق المطلوبة؟'],
    last: ['enquiries:answer.documents', 'aid:ask.healthConsent'],
    never: ['aid:chooseOption'],
  },
  {
    flow: 'aid',
    name: 'an English speaker asking questions mid-form gets answers, not «choose the number»',
    turns: ['hello', '1', 'I want to apply for aid', 'what documents do you need?', '1', 'how long does it take?'],
    last: ['enquiries:answer.duration', 'aid:ask.name'],
    never: ['aid:chooseOption', 'aid:invalid.name'],
  },
  {
    flow: 'aid',
    name: 'a sentence at the city question is not taken for the city',
    turns: [...aidCity, 'السلام عليكم ابي اكمل الطلب اللي بديته امس'],
    draft: { city: null },
  },
  {
    flow: 'aid',
    name: 'a complaint at the name question keeps the application and says how to reach it',
    turns: [...aidName, 'ابي اشتكي على التاخير'],
    last: ['aid:otherService', 'aid:ask.name'],
    draft: { name: null, healthConsent: true },
  },
  {
    flow: 'aid',
    name: 'a plain «لا» at the city question is not saved as the city',
    turns: [...aidCity, 'لا'],
    last: ['aid:invalid.city'],
    draft: { city: null },
  },
  {
    flow: 'aid',
    name: 'a place not in the list, typed in words, is still taken',
    turns: [...aidCity, 'الخبراء الشمالية'],
    draft: { city: 'other:الخبراء الشمالية' },
  },
  {
    flow: 'aid',
    name: '«حفايظ» chooses the supplies «(حفائظ، أشرطة سكر…)» at the aid-type question',
    turns: [...aidCity, '1', '5', '3000', 'حفايظ'],
    last: ['aid:ask.description'],
  },
  {
    flow: 'aid',
    name: 'a correction in words in the middle of the form goes to that answer, then back to the question',
    turns: [...aidCity, '1', '5', 'ابي اغير رقم الجوال غلطت فيه', '0551234567'],
    last: ['aid:ask.income'],
    draft: { phone: '+966551234567', householdSize: 5 },
  },
  {
    flow: 'aid',
    name: 'a second application confirms the saved name, ID and mobile and does not ask consent again',
    turns: [...aidSummary, '1', 'ابي اقدم طلب', '1'],
    last: ['aid:ask.city'],
    never: ['aid:invalid.name'],
    draft: { name: 'محمد عبدالله الحربي', nationalId: '1010101010', phone: '+966501234567', healthConsent: true },
  },
  {
    flow: 'aid',
    name: 'a second application offers the saved details first, before any question',
    turns: [...aidSummary, '1', 'ابي اقدم طلب'],
    last: ['aid:intro', 'aid:ask.reuse'],
    lastNot: ['aid:ask.healthConsent'],
  },
  {
    flow: 'aid',
    name: 'a correction in words at the summary goes to that answer',
    turns: [...aidSummary, 'ابي اغير رقم الجوال غلطت فيه', '0551234567'],
    last: ['aid:summary.self'],
    draft: { phone: '+966551234567' },
  },
  {
    flow: 'aid',
    name: 'a miss at the summary asks for the choice again, not the whole summary',
    turns: [...aidSummary, 'هممم'],
    last: ['aid:chooseOption'],
    lastNot: ['aid:summary.self'],
  },
  {
    flow: 'aid',
    name: 'the summary fits a phone screen: one line a field, two options',
    turns: aidSummary,
    last: ['aid:summary.self'],
    maxLines: 13,
  },
  {
    flow: 'aid',
    name: '«تعديل بيان» at the summary lists the answers, and one chosen is asked again',
    turns: [...aidSummary, 'تعديل', '3', '0551234567'],
    last: ['aid:summary.self'],
    draft: { phone: '+966551234567' },
  },
  {
    flow: 'aid',
    name: '«تمام ارسل» at the summary sends the request',
    turns: [...aidSummary, 'تمام ارسل'],
    last: ['aid:submitted'],
  },
  {
    flow: 'aid',
    name: 'the first document can be put off with all the others at once',
    turns: [...aidSummary.slice(0, -3), 'كلها بعدين'],
    last: ['aid:summary.self'],
  },
  {
    flow: 'aid',
    name: '«لابوي» at the name question makes it a request for the father, then asks the applicant',
    turns: [...aidName, 'لابوي'],
    last: ['aid:ask.applicantName'],
    draft: { forFamily: true, relationship: 'parent', name: null },
  },
  {
    flow: 'aid',
    name: "for a family member: the patient's name and ID after the applicant's, the relationship known",
    turns: [...forFather, 'عبدالله محمد الحربي', '1010101010'],
    last: ['aid:ask.phone'],
    draft: { name: 'محمد عبدالله الحربي', patientName: 'عبدالله محمد الحربي', nationalId: '1010101010' },
  },
  {
    flow: 'aid',
    name: 'the option «الطلب لأحد أفراد أسرتي» asks who the patient is to the applicant',
    turns: [...aidName, '1', 'محمد عبدالله الحربي', 'امي'],
    last: ['aid:ask.patientName'],
    draft: { forFamily: true, relationship: 'parent' },
  },
  {
    flow: 'aid',
    name: 'a name at the relationship question is not a relationship, nor a change of language',
    turns: [...aidName, '1', 'محمد عبدالله الحربي', 'عبدالله محمد الحربي'],
    last: ['aid:chooseOption', 'aid:ask.relationship'],
    never: ['root:language.prompt'],
  },
  {
    flow: 'aid',
    name: 'the summary of a request for a family member names the patient, the relationship and the applicant',
    turns: [
      ...forFather,
      'عبدالله محمد الحربي',
      '1010101010',
      '0501234567',
      'بريدة',
      '5',
      '3000',
      '1',
      'ابوي عنده جلطة ويحتاج كرسي متحرك',
      '2',
    ],
    last: ['aid:summary.family'],
    lastText: ['المريض: عبدالله محمد الحربي (والدي أو والدتي)', 'مقدم الطلب: محمد عبدالله الحربي'],
  },
  {
    flow: 'aid',
    name: 'a son completes an application for his father in 16 messages or fewer, from his first message',
    turns: [
      'السلام عليكم ابي اقدم طلب كرسي متحرك لابوي',
      'موافق',
      'موافق',
      'لابوي',
      'محمد عبدالله الحربي',
      'عبدالله محمد الحربي',
      '١٠١٠١٠١٠١٠',
      '٠٥٠١٢٣٤٥٦٧',
      'بريده',
      '٥',
      '٣٠٠٠',
      'اجهزة طبية',
      'ابوي كبير بالسن وجاته جلطة وما يقدر يمشي',
      'لاحقا',
      'كلها لاحقا',
      'ارسل',
    ],
    last: ['aid:submitted'],
  },
  {
    flow: 'complaint',
    name: 'a complaint is filed in 6 messages or fewer, from the first message',
    turns: ['السلام عليكم ابي اشتكي على التاخير في الرد على طلبي', 'موافق', 'بدون صورة', 'مو عاجلة', 'تمام ارسل'],
    tickets: [{ kind: 'complaint', text: 'السلام عليكم ابي اشتكي على التاخير في الرد على طلبي', urgent: false }],
  },
  {
    flow: 'followUp',
    name: '«ابغى اسجل طلب» is an application, not a follow-up',
    turns: [...menu, 'ابغى اسجل طلب'],
    last: ['aid:intro', 'aid:ask.healthConsent'],
    never: ['followUp:ask.reference'],
  },
  {
    flow: 'followUp',
    name: 'no reference at the reference question offers a way out: applying, a person, the menu',
    turns: [...menu, 'ابي اتابع طلبي', 'ما عندي رقم', '1'],
    last: ['aid:intro', 'aid:ask.healthConsent'],
  },
  {
    flow: 'followUp',
    name: 'asking to apply at the reference question starts the application',
    turns: [...menu, 'ابي اتابع طلبي', 'لا ابي اقدم طلب جديد'],
    last: ['aid:intro', 'aid:ask.healthConsent'],
  },
  {
    flow: 'followUp',
    name: 'a person asked for from the reference question is put through',
    turns: [...menu, 'ابي اتابع طلبي', 'ما عندي رقم', 'موظف'],
    last: ['handoff:*'],
  },
  {
    flow: 'complaint',
    name: 'a complaint by name goes straight to it, its sentence kept as the text',
    turns: [...menu, namedComplaint, 'بدون صورة', 'لا', 'ارسلها'],
    never: ['complaint:ask.kindFromWords', 'complaint:ask.kind'],
    tickets: [{ kind: 'complaint', text: namedComplaint, urgent: false }],
  },
  {
    flow: 'complaint',
    name: 'a grievance about a staff member is a complaint in that category, its sentence kept',
    turns: [...menu, 'الموظف كان اسلوبه سيء معي امس', 'بدون صورة', 'لا', 'ارسلها'],
    never: ['complaint:ask.kindFromWords', 'complaint:ask.category'],
    tickets: [{ kind: 'complaint', text: 'الموظف كان اسلوبه سيء معي امس', urgent: false }],
  },
  {
    flow: 'complaint',
    name: 'a first message about a month without an answer becomes a delay complaint after the consent',
    turns: ['لي شهر مقدم على سرير طبي لامي وماحد رد علي', '1', 'بدون صورة', 'لا', 'ارسلها'],
    tickets: [{ kind: 'complaint', text: 'لي شهر مقدم على سرير طبي لامي وماحد رد علي', urgent: false }],
  },
  {
    flow: 'complaint',
    name: 'a greeting is not the text of a complaint',
    turns: [...complaintText, 'السلام عليكم'],
    last: ['complaint:invalid.text'],
    lastNot: ['complaint:ask.photo'],
  },
  {
    flow: 'complaint',
    name: 'a miss at the confirmation asks again without the summary',
    turns: [...complaintConfirm, 'هممم'],
    last: ['common:notUnderstood', 'complaint:confirm'],
    lastNot: ['complaint:summary.complaint'],
  },
  {
    flow: 'complaint',
    name: '«وش يعني» at the confirmation says how to answer, and asks again',
    turns: [...complaintConfirm, 'وش يعني'],
    last: ['common:help', 'complaint:confirm'],
  },
  {
    flow: 'complaint',
    name: '«لا» at «is it urgent?» is «not urgent»; nothing is cancelled',
    turns: [...complaintUrgency, 'لا'],
    last: ['complaint:summary.complaint', 'complaint:confirm'],
    never: ['common:cancelled', 'complaint:cancelled'],
  },
  {
    flow: 'complaint',
    name: '«مو عاجله» is «not urgent»',
    turns: [...complaintUrgency, 'مو عاجله'],
    last: ['complaint:summary.complaint', 'complaint:confirm'],
  },
  {
    flow: 'complaint',
    name: '«ايه ارسلها» at the confirmation sends the complaint as written',
    turns: [...complaintConfirm, 'ايه ارسلها'],
    tickets: [{ kind: 'complaint', text: grievance, urgent: false }],
  },
  {
    flow: 'complaint',
    name: '«لا» at the confirmation cancels nothing: the question is asked again',
    turns: [...complaintConfirm, 'لا'],
    never: ['common:cancelled', 'complaint:cancelled'],
    tickets: [],
  },
  {
    flow: 'complaint',
    name: '«نعم» at «is it urgent?» makes it urgent, and «تمام ارسل» sends it',
    turns: [...complaintUrgency, 'نعم', 'تمام ارسل'],
    tickets: [{ kind: 'complaint', text: grievance, urgent: true }],
  },
];
