import { join } from 'node:path';
import { BytebotdClient } from '@bytebot/client';
import type { BytebotEnvironment } from '@bytebot/config';
import { readLoopSettings } from './agent-settings.ts';
import { readGuardSettings } from './guards/guard-settings.ts';
import { agentTools } from './loop/agent-tools.ts';
import { TaskRunner } from './loop/task-runner.ts';
import { computerFunctionTools } from './model/computer-function-tools.ts';
import { ModelCatalog } from './model/model-catalog.ts';
import { createTaskQueue, type TaskQueue } from './queue/index.ts';
import { ScreenshotStore } from './screenshots/screenshot-store.ts';
import {
  type AgentDatabase,
  FileRepository,
  MessageRepository,
  openDatabase,
  SummaryRepository,
  TaskRepository,
} from './storage/index.ts';
import { RunningTasks } from './tasks/running-tasks.ts';
import { TaskService } from './tasks/task.service.ts';
import { TaskEvents } from './tasks/task-events.ts';
import { CustomTools, loadCustomTools } from './tools/custom-tools.ts';
import { TrajectoryService } from './trajectories/trajectory.service.ts';

export interface AgentLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export interface Agent {
  database: AgentDatabase;
  queue: TaskQueue;
  service: TaskService;
  trajectories: TrajectoryService;
  events: TaskEvents;
  models: ModelCatalog;
  client: BytebotdClient;
  /** Re-queues what an earlier run of the agent left unfinished, then starts working. */
  startWorking(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the agent from its parts: storage, queue, bytebotd client, models, the loop. The HTTP shell
 * (Nest) takes the pieces it serves from here.
 */
export async function createAgent(options: {
  environment: BytebotEnvironment;
  token: string | undefined;
  log: AgentLog;
  source?: Record<string, string | undefined>;
  queueName?: string | undefined;
}): Promise<Agent> {
  const { environment, log } = options;
  const source = options.source ?? process.env;
  const loopSettings = readLoopSettings(source);
  const guardSettings = readGuardSettings(source);
  const builtInNames = new Set([
    'computer',
    ...agentTools.map((tool) => tool.name),
    ...computerFunctionTools.map((tool) => tool.name),
  ]);
  const customTools = new CustomTools(
    await loadCustomTools(source.BYTEBOT_TOOLS_DIR?.trim() || undefined),
    builtInNames,
  );
  if (customTools.definitions.length > 0) {
    log.info(`custom tools: ${customTools.definitions.map((tool) => tool.name).join(', ')}`);
  }
  const database = await openDatabase({
    databaseUrl: environment.databaseUrl,
    dataDirectory: environment.dataDirectory,
  });
  const tasks = new TaskRepository(database.db);
  const messages = new MessageRepository(database.db);
  const summaries = new SummaryRepository(database.db);
  const files = new FileRepository(database.db);
  let queue: TaskQueue;
  try {
    queue = createTaskQueue({
      redisUrl: environment.redisUrl,
      name: options.queueName ?? 'bytebot-tasks',
      log: (line) => log.info(line),
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const events = new TaskEvents();
  const running = new RunningTasks();
  const models = new ModelCatalog(source);
  const client = new BytebotdClient({ baseUrl: environment.bytebotdUrl, token: options.token });
  const screenshots = new ScreenshotStore(join(environment.dataDirectory, 'screenshots'));
  const runner = new TaskRunner({
    tasks,
    messages,
    summaries,
    files,
    screenshots,
    client,
    customTools,
    models,
    events,
    running,
    log,
    options: loopSettings,
    guards: guardSettings,
  });
  const service = new TaskService({
    tasks,
    messages,
    files,
    queue,
    events,
    running,
    screenshots,
    limitDefaults: guardSettings.limits,
  });
  const trajectories = new TrajectoryService({ tasks, messages, screenshots, client, events, service });
  return {
    database,
    queue,
    service,
    trajectories,
    events,
    models,
    client,
    async startWorking() {
      for (const task of await tasks.listByStatus(['PENDING', 'RUNNING'])) {
        await queue.enqueue({
          id: task.id,
          priority: task.priority,
          createdAt: task.createdAt,
          scheduledFor: task.scheduledFor,
        });
      }
      await queue.start((taskId) => runner.run(taskId));
    },
    async close() {
      running.abortAll();
      await queue.close();
      await database.close();
    },
  };
}
