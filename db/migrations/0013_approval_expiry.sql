-- An approval's deadline. Approvals parked before this migration had none: they get the deploy
-- node's default (72 hours after they were asked), so none of them waits forever either.
ALTER TABLE "approvals" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
UPDATE "approvals" SET "expires_at" = "created_at" + interval '72 hours';--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "approvals_undecided_expiry_idx" ON "approvals" USING btree ("expires_at") WHERE decision is null;
