import type { BytebotdClient } from '@bytebot/client';
import type { ModelProvider } from '../model/model-provider.ts';
import { ScreenScaling } from '../model/screen-scaling.ts';

/** The desktop's screen size, asked once, and the scaling between it and what a provider's model sees. */
export class DesktopScreen {
  private screen: { width: number; height: number } | undefined;

  constructor(private readonly client: BytebotdClient) {}

  async scalingFor(provider: ModelProvider): Promise<ScreenScaling> {
    if (!this.screen) {
      const health = await this.client.health();
      if (!health.screen) throw new Error(`the desktop at bytebotd is not ready (display ${health.display})`);
      this.screen = health.screen;
    }
    return new ScreenScaling(this.screen, provider.screenshotLimit);
  }
}
