CREATE TABLE "serving_health" (
	"process_id" text NOT NULL,
	"deployment_id" uuid NOT NULL,
	"model_version" integer NOT NULL,
	"shadow" boolean DEFAULT false NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"fallbacks" integer NOT NULL,
	"latency_bins" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "serving_health_pk" PRIMARY KEY("deployment_id","bucket_start","process_id","model_version","shadow")
);
--> statement-breakpoint
CREATE INDEX "serving_health_bucket_idx" ON "serving_health" USING btree ("bucket_start");