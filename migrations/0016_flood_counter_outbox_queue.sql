DROP INDEX `outbox_pending`;--> statement-breakpoint
CREATE INDEX `outbox_queue` ON `outbox` (`channel`,`status`,`id`);--> statement-breakpoint
DROP INDEX `processed_inbound_recent`;--> statement-breakpoint
ALTER TABLE `conversations` ADD `flood_since` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `flood_count` integer DEFAULT 0 NOT NULL;