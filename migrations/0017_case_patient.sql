ALTER TABLE `cases` ADD `patient_name` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `relationship` text;