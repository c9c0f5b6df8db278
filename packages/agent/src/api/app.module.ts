import type { TokenCheck } from '@bytebot/config';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DesktopService } from '../fleet/desktop.service.ts';
import type { DesktopViews } from '../fleet/desktop-views.ts';
import type { ModelCatalog } from '../model/model-catalog.ts';
import { TaskService } from '../tasks/task.service.ts';
import { TaskEvents } from '../tasks/task-events.ts';
import { TaskListing } from '../tasks/task-listing.ts';
import { TrajectoryService } from '../trajectories/trajectory.service.ts';
import { DesktopsController } from './desktops.controller.ts';
import { type AgentHealthCheck, HealthController } from './health.controller.ts';
import {
  authorizeToken,
  desktopServiceToken,
  desktopViewsToken,
  healthToken,
  liveEventsToken,
  modelCatalogToken,
  openApiToken,
} from './injection-tokens.ts';
import { ModelsController } from './models.controller.ts';
import { TasksController } from './tasks.controller.ts';
import { type LiveEventsSettings, TasksGateway } from './tasks.gateway.ts';
import { TrajectoriesController } from './trajectories.controller.ts';

export interface AppModuleValues {
  service: TaskService;
  listing: TaskListing;
  trajectories: TrajectoryService;
  events: TaskEvents;
  models: ModelCatalog;
  health: AgentHealthCheck;
  openApi: Record<string, unknown>;
  isValidToken: TokenCheck;
  desktops: DesktopService;
  /** Thumbnails and live views of every desktop of the fleet. */
  desktopViews: DesktopViews;
  /** In a fleet, socket.io's Redis adapter: live events reach the clients of every agent. */
  liveEvents?: LiveEventsSettings;
}

@Module({})
class AppModule {}

/** Nest is the HTTP and websocket shell only: the services are built outside it and handed in. */
export function appModule(values: AppModuleValues): DynamicModule {
  return {
    module: AppModule,
    controllers: [
      TrajectoriesController,
      TasksController,
      ModelsController,
      DesktopsController,
      HealthController,
    ],
    providers: [
      TasksGateway,
      { provide: TaskService, useValue: values.service },
      { provide: TaskListing, useValue: values.listing },
      { provide: TrajectoryService, useValue: values.trajectories },
      { provide: TaskEvents, useValue: values.events },
      { provide: modelCatalogToken, useValue: values.models },
      { provide: healthToken, useValue: values.health },
      { provide: openApiToken, useValue: values.openApi },
      { provide: authorizeToken, useValue: values.isValidToken },
      { provide: desktopServiceToken, useValue: values.desktops },
      { provide: desktopViewsToken, useValue: values.desktopViews },
      { provide: liveEventsToken, useValue: values.liveEvents ?? { adapter: undefined } },
    ],
  };
}
