import type { DesktopList, LiveView } from '@bytebot/protocol';
import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { DesktopService } from '../fleet/desktop.service.ts';
import type { DesktopViews } from '../fleet/desktop-views.ts';
import { desktopServiceToken, desktopViewsToken } from './injection-tokens.ts';

/**
 * The fleet's desktops and what each does now, and a view of each: any agent of the fleet answers for all
 * of them, reaching the other desktops' bytebotd itself (the websocket of the live view is in
 * desktop-websockify.ts, outside Nest).
 */
@Controller('desktops')
export class DesktopsController {
  constructor(
    @Inject(desktopServiceToken) private readonly desktops: DesktopService,
    @Inject(desktopViewsToken) private readonly views: DesktopViews,
  ) {}

  @Get()
  list(): Promise<DesktopList> {
    return this.desktops.list();
  }

  /** The screen now: never cached, a thumbnail asked for again is a new picture. */
  @Get(':id/screenshot')
  async screenshot(@Param('id') id: string, @Query() query: unknown, @Res() response: Response) {
    const data = await this.views.screenshot(id, query);
    response.setHeader('content-type', 'image/png');
    response.setHeader('cache-control', 'no-store');
    response.send(data);
  }

  @Get(':id/live-view')
  @Header('cache-control', 'no-store')
  liveView(@Param('id') id: string): Promise<LiveView> {
    return this.views.liveView(id);
  }
}
