CREATE TABLE `ticket_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_ar` text NOT NULL,
	`name_en` text NOT NULL,
	`about_staff` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_categories_code_unique` ON `ticket_categories` (`code`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`staff_user_id` integer,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket` ON `ticket_events` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`conversation_id` integer,
	`kind` text NOT NULL,
	`category_id` integer NOT NULL,
	`text` text NOT NULL,
	`media_id` integer,
	`anonymous` integer DEFAULT false NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`stage` text DEFAULT 'open' NOT NULL,
	`assigned_to` integer,
	`resolution` text,
	`locale` text DEFAULT 'ar' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`due_at` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`category_id`) REFERENCES `ticket_categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_to`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_reference_unique` ON `tickets` (`reference`);--> statement-breakpoint
CREATE INDEX `tickets_stage` ON `tickets` (`stage`,`due_at`);--> statement-breakpoint
CREATE INDEX `tickets_conversation` ON `tickets` (`conversation_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`subject` text NOT NULL,
	`subject_id` integer NOT NULL,
	`staff_user_id` integer,
	`channel` text DEFAULT '' NOT NULL,
	`score` integer,
	`comment` text,
	`asked_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`answered_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Edited by hand: the old table has no staff, channel, comment or asked/answered columns (drizzle-kit
-- would copy the column names as text): every old rating was asked and answered when it was made.
INSERT INTO `__new_ratings`("id", "conversation_id", "subject", "subject_id", "staff_user_id", "channel", "score", "comment", "asked_at", "answered_at", "created_at") SELECT `id`, `conversation_id`, `subject`, `subject_id`, NULL, '', `score`, NULL, `created_at`, `created_at`, `created_at` FROM `ratings`;--> statement-breakpoint
DROP TABLE `ratings`;--> statement-breakpoint
ALTER TABLE `__new_ratings` RENAME TO `ratings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_once` ON `ratings` (`subject`,`subject_id`) WHERE subject != 'faq';