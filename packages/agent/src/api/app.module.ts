import type { TokenCheck } from '@bytebot/config';
import { type DynamicModule, Module } from '@nestjs/common';
import type { ModelCatalog } from '../model/model-catalog.ts';
import { TaskService } from '../tasks/task.service.ts';
import { TaskEvents } from '../tasks/task-events.ts';
import { TrajectoryService } from '../trajectories/trajectory.service.ts';
import { type AgentHealthCheck, HealthController } from './health.controller.ts';
import { authorizeToken, healthToken, modelCatalogToken, openApiToken } from './injection-tokens.ts';
import { ModelsController } from './models.controller.ts';
import { TasksController } from './tasks.controller.ts';
import { TasksGateway } from './tasks.gateway.ts';
import { TrajectoriesController } from './trajectories.controller.ts';

export interface AppModuleValues {
  service: TaskService;
  trajectories: TrajectoryService;
  events: TaskEvents;
  models: ModelCatalog;
  health: AgentHealthCheck;
  openApi: Record<string, unknown>;
  isValidToken: TokenCheck;
}

@Module({})
class AppModule {}

/** Nest is the HTTP and websocket shell only: the services are built outside it and handed in. */
export function appModule(values: AppModuleValues): DynamicModule {
  return {
    module: AppModule,
    controllers: [TrajectoriesController, TasksController, ModelsController, HealthController],
    providers: [
      TasksGateway,
      { provide: TaskService, useValue: values.service },
      { provide: TrajectoryService, useValue: values.trajectories },
      { provide: TaskEvents, useValue: values.events },
      { provide: modelCatalogToken, useValue: values.models },
      { provide: healthToken, useValue: values.health },
      { provide: openApiToken, useValue: values.openApi },
      { provide: authorizeToken, useValue: values.isValidToken },
    ],
  };
}
