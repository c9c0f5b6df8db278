import type { AgentModel } from '@bytebot/protocol';
import { Controller, Get, Inject } from '@nestjs/common';
import type { ModelCatalog } from '../model/model-catalog.ts';
import { modelCatalogToken } from './injection-tokens.ts';

/** The models a task can name, from the configured providers (also at /tasks/models, the original path). */
@Controller('models')
export class ModelsController {
  constructor(@Inject(modelCatalogToken) private readonly models: ModelCatalog) {}

  @Get()
  list(): AgentModel[] {
    return this.models.list();
  }
}
