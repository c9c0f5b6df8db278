import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ModelCatalog } from '../model/model-catalog.ts';
import { TaskService } from '../tasks/task.service.ts';
import { modelCatalogToken } from './injection-tokens.ts';

/** The original Bytebot agent's routes and shapes, so its UI and programs work unchanged. */
@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TaskService) private readonly service: TaskService,
    @Inject(modelCatalogToken) private readonly models: ModelCatalog,
  ) {}

  @Post()
  create(@Body() body: unknown) {
    return this.service.create(body);
  }

  @Get()
  list(@Query() query: unknown) {
    return this.service.list(query);
  }

  @Get('models')
  listModels() {
    return this.models.list();
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.service.withMessages(id);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string) {
    await this.service.delete(id);
  }

  /** Screenshots never change under their name (it is their hash): browsers may keep them for good. */
  @Get(':id/screenshots/:file')
  async screenshot(@Param('id') id: string, @Param('file') file: string, @Res() response: Response) {
    const { data, mediaType } = await this.service.screenshot(id, file);
    response.setHeader('content-type', mediaType);
    response.setHeader('cache-control', 'private, max-age=31536000, immutable');
    response.setHeader('etag', `"${file.slice(0, file.indexOf('.'))}"`);
    response.send(data);
  }

  @Get(':id/messages')
  messages(@Param('id') id: string, @Query() query: unknown) {
    return this.service.messages(id, query);
  }

  @Post(':id/messages')
  addMessage(@Param('id') id: string, @Body() body: unknown) {
    return this.service.addMessage(id, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string) {
    return this.service.cancel(id);
  }

  @Post(':id/takeover')
  @HttpCode(200)
  takeover(@Param('id') id: string) {
    return this.service.takeover(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.service.resume(id);
  }
}
