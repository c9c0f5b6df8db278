import type { AgentTask, ReplayResult } from '@bytebot/protocol';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { TrajectoryService } from '../trajectories/trajectory.service.ts';
import { taskBody } from './task-body.ts';

/** A task's trajectory: download it, bring one in, play it again without the model. */
@Controller('tasks')
export class TrajectoriesController {
  constructor(@Inject(TrajectoryService) private readonly trajectories: TrajectoryService) {}

  @Get(':id/trajectory')
  async download(@Param('id') id: string, @Res() response: Response) {
    const { task, archive } = await this.trajectories.export(id);
    response.setHeader('content-type', 'application/zip');
    response.setHeader('content-disposition', `attachment; filename="bytebot-task-${task.id}.zip"`);
    response.send(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  }

  @Post('import')
  async import(@Body() body: unknown): Promise<AgentTask> {
    return taskBody(await this.trajectories.import(body));
  }

  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param('id') id: string, @Body() body: unknown): Promise<ReplayResult> {
    return this.trajectories.replay(id, body);
  }
}
