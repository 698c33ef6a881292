ALTER TABLE "runs" ADD COLUMN "rerun_of" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "rerun_node_id" text;--> statement-breakpoint
ALTER TABLE "steps" ADD COLUMN "cached_from_run_id" uuid;--> statement-breakpoint
ALTER TABLE "steps" ADD COLUMN "skip_cache" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_rerun_of_runs_id_fk" FOREIGN KEY ("rerun_of") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_cached_from_run_id_runs_id_fk" FOREIGN KEY ("cached_from_run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "steps_cached_from_idx" ON "steps" USING btree ("cached_from_run_id") WHERE cached_from_run_id is not null;