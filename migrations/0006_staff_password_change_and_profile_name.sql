ALTER TABLE `conversations` ADD `profile_name` text;--> statement-breakpoint
ALTER TABLE `staff_users` ADD `must_change_password` integer DEFAULT false NOT NULL;