-- The default complaint and suggestion categories (issue 10); managers edit them in the console.
INSERT INTO `ticket_categories` (`code`, `name_ar`, `name_en`, `about_staff`, `position`) VALUES
  ('service', 'الخدمة', 'The service', 0, 1),
  ('delay', 'التأخير', 'A delay', 0, 2),
  ('staffConduct', 'تعامل أحد الموظفين', 'A staff member''s conduct', 1, 3),
  ('aidQuality', 'جودة المساعدة', 'The quality of the aid', 0, 4),
  ('channels', 'الموقع أو قنوات التواصل', 'The website or the channels', 0, 5),
  ('other', 'أخرى', 'Other', 0, 6);
