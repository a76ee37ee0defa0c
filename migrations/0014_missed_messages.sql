CREATE TABLE `missed_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lang` text NOT NULL,
	`text` text NOT NULL,
	`count` integer DEFAULT 1 NOT NULL,
	`last_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`intent` text,
	`assigned_by` integer,
	`assigned_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`assigned_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `missed_messages_lang_text` ON `missed_messages` (`lang`,`text`);--> statement-breakpoint
CREATE INDEX `missed_messages_waiting` ON `missed_messages` (`intent`,`count`);