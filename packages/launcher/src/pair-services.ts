import type { ChildService } from './child-service.ts';
import type { PairPlan } from './pair-plan.ts';
import { scriptService } from './script-service.ts';

/** Each pair's desktop (with bytebotd) and agent, as services of `npm start`, from the common environment. */
export function pairServices(
  pairs: PairPlan[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): { desktops: ChildService[]; agents: ChildService[] } {
  // One pair keeps the names it always had ("desktop", "agent"); several are told apart by number.
  const named = (part: string, pair: PairPlan) => (pairs.length === 1 ? part : `${part}-${pair.index}`);
  const desktops = pairs.map((pair) =>
    scriptService({
      name: named('desktop', pair),
      script: 'packages/bytebotd/src/standalone.main.ts',
      env: {
        ...env,
        BYTEBOT_DISPLAY: pair.display,
        BYTEBOTD_PORT: String(pair.bytebotdPort),
        BYTEBOTD_URL: pair.bytebotdUrl,
        BYTEBOT_VNC_PORT: String(pair.vncPort),
        ...(pair.desktopUser ? { BYTEBOT_DESKTOP_USER: pair.desktopUser } : {}),
      },
      healthUrl: `${pair.bytebotdUrl}/health`,
      print,
    }),
  );
  const agents = pairs.map((pair) =>
    scriptService({
      name: named('agent', pair),
      script: 'packages/agent/src/agent.main.ts',
      env: {
        ...env,
        AGENT_PORT: String(pair.agentPort),
        AGENT_URL: pair.agentUrl,
        BYTEBOTD_URL: pair.bytebotdUrl,
        ...(pair.desktopId ? { BYTEBOT_DESKTOP_ID: pair.desktopId } : {}),
        ...(pair.agentId ? { BYTEBOT_AGENT_ID: pair.agentId } : {}),
      },
      healthUrl: `${pair.agentUrl}/health`,
      print,
    }),
  );
  return { desktops, agents };
}
