import type { DesktopList } from '@bytebot/protocol';
import { Controller, Get, Inject } from '@nestjs/common';
import type { DesktopService } from '../fleet/desktop.service.ts';
import { desktopServiceToken } from './injection-tokens.ts';

/** The fleet's desktops and what each does now; any agent of the fleet answers for all of them. */
@Controller('desktops')
export class DesktopsController {
  constructor(@Inject(desktopServiceToken) private readonly desktops: DesktopService) {}

  @Get()
  list(): Promise<DesktopList> {
    return this.desktops.list();
  }
}
