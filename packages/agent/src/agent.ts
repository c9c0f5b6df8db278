import { hostname } from 'node:os';
import { join } from 'node:path';
import { BytebotdClient } from '@bytebot/client';
import type { BytebotEnvironment } from '@bytebot/config';
import { readFleetSettings, readLoopSettings } from './agent-settings.ts';
import { DesktopService } from './fleet/desktop.service.ts';
import { DesktopDirectory } from './fleet/desktop-directory.ts';
import { DesktopHeartbeat } from './fleet/desktop-heartbeat.ts';
import { DesktopViews } from './fleet/desktop-views.ts';
import { FleetDesktop } from './fleet/fleet-desktop.ts';
import { defaultAgentId, desktopIdFromAddress, type FleetIdentity } from './fleet/fleet-identity.ts';
import { createLiveEventsAdapter, type LiveEventsAdapter } from './fleet/live-events-adapter.ts';
import { TaskControlRelay } from './fleet/task-control-relay.ts';
import { readGuardSettings } from './guards/guard-settings.ts';
import { agentTools } from './loop/agent-tools.ts';
import { TaskRunner } from './loop/task-runner.ts';
import { computerFunctionTools } from './model/computer-function-tools.ts';
import { ModelCatalog } from './model/model-catalog.ts';
import { createTaskQueue, type TaskQueue } from './queue/index.ts';
import { DatabaseScreenshotFiles } from './screenshots/database-screenshot-files.ts';
import { FolderScreenshotFiles } from './screenshots/screenshot-files.ts';
import { ScreenshotStore } from './screenshots/screenshot-store.ts';
import {
  type AgentDatabase,
  DesktopRepository,
  FileRepository,
  MessageRepository,
  openDatabase,
  SummaryRepository,
  TaskRepository,
} from './storage/index.ts';
import { RunningTasks } from './tasks/running-tasks.ts';
import { TaskService } from './tasks/task.service.ts';
import { TaskEvents } from './tasks/task-events.ts';
import { TaskListing } from './tasks/task-listing.ts';
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
  /** The task lists people browse: search, sort and counts by status. */
  listing: TaskListing;
  trajectories: TrajectoryService;
  events: TaskEvents;
  models: ModelCatalog;
  client: BytebotdClient;
  /** The fleet's desktops (GET /desktops). */
  desktops: DesktopService;
  /** A thumbnail and the live view of any desktop of the fleet, reached from this agent. */
  desktopViews: DesktopViews;
  /** This agent and its desktop in the fleet. */
  identity: FleetIdentity;
  /** In a fleet (REDIS_URL): socket.io's Redis adapter, so live events reach every agent's clients. */
  liveEvents: LiveEventsAdapter | undefined;
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
  const fleetSettings = readFleetSettings(source);
  const fleetName = options.queueName ?? 'bytebot-tasks';
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
      name: fleetName,
      log: (line) => log.info(line),
      lockDurationMs: fleetSettings.queueLockMs,
      stalledIntervalMs: fleetSettings.queueStalledCheckMs,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const events = new TaskEvents();
  const running = new RunningTasks();
  const models = new ModelCatalog(source);
  const client = new BytebotdClient({ baseUrl: environment.bytebotdUrl, token: options.token });
  const screenshotFolder = join(environment.dataDirectory, 'screenshots');
  // A shared PostgreSQL holds them where every agent of the fleet can serve them; embedded, files do.
  const screenshots = new ScreenshotStore(
    environment.databaseUrl
      ? new DatabaseScreenshotFiles(database.db, new FolderScreenshotFiles(screenshotFolder))
      : screenshotFolder,
  );
  const identity: FleetIdentity = {
    desktopId: fleetSettings.desktopId ?? desktopIdFromAddress(environment.bytebotdUrl),
    agentId: fleetSettings.agentId ?? defaultAgentId(),
    address: fleetSettings.desktopUrl ?? environment.bytebotdUrl,
    machine: hostname(),
  };
  const desktopRows = new DesktopRepository(database.db);
  const heartbeat = new DesktopHeartbeat({
    desktops: desktopRows,
    tasks,
    client,
    queue,
    identity,
    intervalMs: fleetSettings.heartbeatMs,
    log,
  });
  events.on('task_updated', (task) => heartbeat.taskChanged(task.id, task.control));
  const desktop = new FleetDesktop({
    heartbeat,
    desktops: desktopRows,
    tasks,
    queue,
    events,
    downAfterMs: fleetSettings.desktopDownAfterMs,
    log,
  });
  const liveEvents = environment.redisUrl
    ? createLiveEventsAdapter({ redisUrl: environment.redisUrl, fleet: fleetName, log })
    : undefined;
  const relay = environment.redisUrl
    ? new TaskControlRelay({
        redisUrl: environment.redisUrl,
        fleet: fleetName,
        agentId: identity.agentId,
        events,
        running,
        onRelayed: (taskId) => heartbeat.taskChanged(taskId),
        log,
      })
    : undefined;
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
    desktop,
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
    listing: new TaskListing(tasks),
    trajectories,
    events,
    models,
    client,
    desktops: new DesktopService(desktopRows, fleetSettings.desktopDownAfterMs),
    desktopViews: new DesktopViews(
      new DesktopDirectory({
        desktops: desktopRows,
        identity,
        own: { url: environment.bytebotdUrl, client },
        token: options.token,
        downAfterMs: fleetSettings.desktopDownAfterMs,
      }),
    ),
    identity,
    liveEvents,
    async startWorking() {
      await heartbeat.start();
      for (const task of await tasks.listByStatus(['PENDING', 'RUNNING'])) {
        await queue.enqueue({
          id: task.id,
          priority: task.priority,
          createdAt: task.createdAt,
          scheduledFor: task.scheduledFor,
        });
      }
      await queue.start((taskId) => runner.run(taskId));
      // After the queue: its connection names REDIS_URL plainly when Redis cannot be reached.
      await relay?.start();
    },
    async close() {
      // In a fleet the tasks running here go to other desktops: this consumer takes none meanwhile.
      const leaving = desktop.tasks;
      if (queue.kind === 'bullmq' && leaving.length > 0) await queue.pause();
      running.abortAll();
      for (const taskId of leaving) await running.stopped(taskId, 5_000);
      await desktop.leave(leaving).catch((error: Error) => log.warn(`handing tasks over: ${error.message}`));
      await queue.close();
      await heartbeat.stop();
      await relay?.close();
      await liveEvents?.close();
      await database.close();
    },
  };
}
