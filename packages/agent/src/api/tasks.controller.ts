import type {
  AgentMessage,
  AgentModel,
  AgentTask,
  GroupedMessages,
  OriginalMessage,
  TaskCounts,
  TaskPage,
  TaskWithMessages,
} from '@bytebot/protocol';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ModelCatalog } from '../model/model-catalog.ts';
import { TaskService } from '../tasks/task.service.ts';
import { TaskListing } from '../tasks/task-listing.ts';
import { modelCatalogToken } from './injection-tokens.ts';
import { messageBody, taskBody } from './task-body.ts';

/**
 * The original Bytebot agent's routes and shapes, so its UI and programs work unchanged; every request
 * and answer is a shape of the protocol's agent API (agent-api.schema.ts).
 */
@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TaskService) private readonly service: TaskService,
    @Inject(TaskListing) private readonly listing: TaskListing,
    @Inject(modelCatalogToken) private readonly models: ModelCatalog,
  ) {}

  @Post()
  async create(@Body() body: unknown): Promise<AgentTask> {
    return taskBody(await this.service.create(body));
  }

  /** Besides the original's paging and statuses: `search` in the descriptions and `sort` (newest, priority). */
  @Get()
  async list(@Query() query: unknown): Promise<TaskPage> {
    const page = await this.listing.list(query);
    return { ...page, tasks: page.tasks.map(taskBody) };
  }

  /** Declared before :id, which would take "counts" for a task's id. */
  @Get('counts')
  counts(@Query() query: unknown): Promise<TaskCounts> {
    return this.listing.counts(query);
  }

  @Get('models')
  listModels(): AgentModel[] {
    return this.models.list();
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<TaskWithMessages> {
    const { messages, ...task } = await this.service.withMessages(id);
    return { ...taskBody(task), messages: messages.map(messageBody) };
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
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
  async messages(@Param('id') id: string, @Query() query: unknown): Promise<AgentMessage[]> {
    return (await this.service.messages(id, query)).map(messageBody);
  }

  /** The original agent's shapes: uppercase roles, screenshots inline, its tool names. */
  @Get(':id/messages/raw')
  rawMessages(@Param('id') id: string, @Query() query: unknown): Promise<OriginalMessage[]> {
    return this.service.originalMessages(id, query);
  }

  /** The original UI's chat view: the original shapes, grouped by role. */
  @Get(':id/messages/processed')
  processedMessages(@Param('id') id: string, @Query() query: unknown): Promise<GroupedMessages[]> {
    return this.service.processedMessages(id, query);
  }

  @Post(':id/messages')
  async addMessage(@Param('id') id: string, @Body() body: unknown): Promise<AgentMessage> {
    return messageBody(await this.service.addMessage(id, body));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string): Promise<AgentTask> {
    return taskBody(await this.service.cancel(id));
  }

  @Post(':id/takeover')
  @HttpCode(200)
  async takeover(@Param('id') id: string): Promise<AgentTask> {
    return taskBody(await this.service.takeover(id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  async resume(@Param('id') id: string): Promise<AgentTask> {
    return taskBody(await this.service.resume(id));
  }
}
