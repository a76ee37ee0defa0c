CREATE TABLE `whatsapp_aliases` (
	`wid` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`phone` text,
	`last_message_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `whatsapp_aliases_chat` ON `whatsapp_aliases` (`chat_id`,`last_message_at`);