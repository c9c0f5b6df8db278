CREATE TABLE "desktops" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"address" text NOT NULL,
	"screen_width" integer,
	"screen_height" integer,
	"state" text NOT NULL,
	"task_id" uuid,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screenshots" (
	"task_id" uuid NOT NULL,
	"id" text NOT NULL,
	"media_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "screenshots_task_id_id_pk" PRIMARY KEY("task_id","id")
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "desktop_id" text;--> statement-breakpoint
ALTER TABLE "screenshots" ADD CONSTRAINT "screenshots_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;