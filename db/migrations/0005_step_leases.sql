ALTER TABLE "steps" ADD COLUMN "lease_id" uuid;--> statement-breakpoint
ALTER TABLE "steps" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "steps" ADD COLUMN "recoveries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "runs_active_idx" ON "runs" USING btree ("status") WHERE status in ('queued', 'running', 'waiting');--> statement-breakpoint
CREATE INDEX "steps_active_idx" ON "steps" USING btree ("status") WHERE status in ('queued', 'running');