import type { AgentHealth } from '@bytebot/protocol';
import { Controller, Get, Inject } from '@nestjs/common';
import { healthToken, openApiToken } from './injection-tokens.ts';

export type AgentHealthCheck = () => Promise<AgentHealth>;

@Controller()
export class HealthController {
  constructor(
    @Inject(healthToken) private readonly health: AgentHealthCheck,
    @Inject(openApiToken) private readonly openApi: Record<string, unknown>,
  ) {}

  @Get('health')
  check() {
    return this.health();
  }

  @Get('openapi.json')
  document() {
    return this.openApi;
  }
}
