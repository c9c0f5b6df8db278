import 'reflect-metadata';
import {
  ConfigurationError,
  createAuthorize,
  createLogger,
  createTokenCheck,
  ensureToken,
  makeDataDirectoryPrivate,
  RateLimiter,
  readEnvironment,
} from '@bytebot/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAgent } from './agent.ts';
import { createAccessMiddleware } from './api/access-middleware.ts';
import { appModule } from './api/app.module.ts';
import { attachDesktopWebsockify } from './api/desktop-websockify.ts';
import { ErrorFilter } from './api/error.filter.ts';
import { agentOpenApiDocument } from './api/openapi.ts';

export const agentVersion = '0.1.0';

const log = createLogger('agent', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info');

async function main(): Promise<void> {
  const environment = readEnvironment();
  // Before anything is written there: the token, the embedded database, the screenshots.
  makeDataDirectoryPrivate(environment.dataDirectory);
  let token: string | undefined;
  if (environment.authenticationEnabled) {
    token = ensureToken({ token: environment.token, dataDirectory: environment.dataDirectory });
  } else {
    log.warn(
      'BYTEBOT_AUTH=off: anyone who can reach this port can run tasks. Use only for local development.',
    );
  }
  const authorize = createAuthorize(token);
  const agent = await createAgent({
    environment,
    token,
    log,
    queueName: process.env.BYTEBOT_QUEUE_NAME || undefined,
  });
  if (agent.models.list().length === 0) {
    log.warn('no model is configured: tasks will fail until ANTHROPIC_API_KEY is set');
  }
  // The startup check: which computer tool each configured model will be offered.
  for (const model of agent.models.list()) {
    log.info(
      `model ${model.name} (${model.provider}${model.default ? ', the default' : ''}): ${model.tool}, ${model.toolDescription}`,
    );
  }

  const app = await NestFactory.create<NestExpressApplication>(
    appModule({
      service: agent.service,
      listing: agent.listing,
      trajectories: agent.trajectories,
      events: agent.events,
      models: agent.models,
      openApi: agentOpenApiDocument(agentVersion),
      isValidToken: createTokenCheck(token),
      desktops: agent.desktops,
      desktopViews: agent.desktopViews,
      liveEvents: { adapter: agent.liveEvents?.adapter },
      health: async () => {
        const desktop = await agent.client.health().then(
          (health) => health.status,
          () => 'unreachable',
        );
        return {
          status: 'ok',
          version: agentVersion,
          database: agent.database.driver,
          queue: agent.queue.kind,
          desktop,
          models: agent.models.list().map(({ provider, name, default: isDefault, tool }) => ({
            provider,
            name,
            default: isDefault,
            tool,
          })),
        };
      },
    }),
    { logger: ['error', 'warn'], bodyParser: false },
  );
  app.useBodyParser('json', { limit: '64mb' });
  // Trajectory archives come in as they are downloaded: a zip body.
  app.useBodyParser('raw', { type: 'application/zip', limit: '512mb' });
  app.useGlobalFilters(new ErrorFilter((line) => log.error(line)));
  app.enableCors({ origin: readUiOrigins(), methods: ['GET', 'POST', 'DELETE'] });
  app.use(
    createAccessMiddleware({
      authorize,
      allowedOrigins: readUiOrigins(),
      taskLimiter:
        environment.rateLimits.tasksPerMinute > 0
          ? new RateLimiter(environment.rateLimits.tasksPerMinute)
          : undefined,
    }),
  );
  attachDesktopWebsockify(app.getHttpServer(), {
    directory: agent.desktopViews.directory,
    authorize,
    allowedOrigins: readUiOrigins(),
    token,
    socketIoPath: '/socket.io/',
    log,
  });
  // No Nest shutdown hooks: Nest's signal handler ends the process once the app is closed, before the agent
  // (its queue, its desktop's row, the tasks it hands over) is; the handler below closes both in order.
  await app.listen(environment.agentPort, environment.host);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  log.info(
    `listening on ${url} (storage: ${agent.database.driver}, queue: ${agent.queue.kind}, bytebotd: ${environment.bytebotdUrl}, desktop: ${agent.identity.desktopId}, agent: ${agent.identity.agentId})`,
  );
  await agent.startWorking();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    await app.close().catch(() => undefined);
    await agent.close().catch((error: Error) => log.error(error.message));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Browsers may call the agent from the UI's origin only (the UI normally reaches it through its server). */
function readUiOrigins(): string[] {
  const port = process.env.UI_PORT || '9992';
  const configured = process.env.UI_ORIGIN?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return configured?.length ? configured : [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

main().catch((error: unknown) => {
  log.error(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
