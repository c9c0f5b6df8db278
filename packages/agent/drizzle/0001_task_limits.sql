ALTER TABLE "tasks" ADD COLUMN "limits" jsonb;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "steps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "running_ms" bigint DEFAULT 0 NOT NULL;