-- The default aid catalogue and documents (issue 9); managers edit them in the console.
INSERT INTO `aid_types` (`code`, `name_ar`, `name_en`, `position`) VALUES
  ('devices', 'أجهزة طبية (كرسي متحرك، سرير طبي، جهاز أكسجين…)', 'Medical devices (wheelchair, medical bed, oxygen…)', 1),
  ('medicines', 'أدوية', 'Medicines', 2),
  ('supplies', 'مستلزمات طبية (حفائظ، أشرطة سكر…)', 'Medical supplies (diapers, glucose strips…)', 3),
  ('treatmentCosts', 'المساعدة في تكاليف العلاج أو النقل', 'Help with treatment or transport costs', 4),
  ('foodBasket', 'سلة غذائية', 'Food basket', 5),
  ('other', 'أخرى', 'Other', 6);
--> statement-breakpoint
INSERT INTO `document_types` (`code`, `name_ar`, `name_en`, `required`, `position`) VALUES
  ('id', 'صورة الهوية الوطنية أو الإقامة', 'A photo of the national ID or Iqama', 1, 1),
  ('medicalReport', 'تقرير طبي حديث', 'A recent medical report', 1, 2),
  ('incomeProof', 'إثبات الدخل (تعريف راتب أو كشف حساب أو الضمان الاجتماعي)', 'Proof of income (salary letter, bank statement or social security)', 1, 3),
  ('familyRecord', 'سجل الأسرة', 'The family record', 0, 4),
  ('prescription', 'الوصفة الطبية', 'The prescription', 0, 5),
  ('rentContract', 'عقد الإيجار', 'The rent contract', 0, 6);
