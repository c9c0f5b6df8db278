import { z } from 'zod';

/**
 * What a noVNC page needs to show a desktop: bytebotd's GET /live-view for its own desktop, and the agent's
 * GET /desktops/{id}/live-view for any desktop of the fleet, proxied through the agent.
 */
export const liveViewSchema = z
  .object({
    websocket: z
      .string()
      .describe(
        "The live view's websocket path on the server that answered: /websockify on bytebotd, " +
          '/desktops/{id}/websockify on the agent.',
      ),
    password: z
      .string()
      .nullable()
      .describe("The desktop's VNC password, for noVNC; null when its VNC server asks none."),
  })
  .describe('Where the live view connects, and with which VNC password.');
export type LiveView = z.infer<typeof liveViewSchema>;
