import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate } from '../support/gate.ts';
import {
  type RecordedRequest,
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from '../support/scripted-anthropic-server.ts';
import {
  answers,
  type BaseImages,
  buildImage,
  ComposeProject,
  freePort,
  imageNames,
  installPodman,
  log,
  type ModelRelay,
  podman,
  podmanInventory,
  prepareBaseImages,
  relayRemoteHeader,
  type Stoppable,
  startHealthchecks,
  startModelRelay,
  startPodmanService,
  UiClient,
  until,
} from './container-stack.ts';

/**
 * `npm run test:containers`: the container path as a user takes it, on this machine. Podman and
 * docker-compose 1.29 from Debian, the base images made locally where Docker Hub cannot be reached, the
 * three images built with `podman build` from the real Dockerfiles, deploy/docker-compose.yml brought up
 * with a scripted model in place of Anthropic, a task run through the UI to COMPLETED on the desktop
 * container, restarts and faults, the scale-out file with two desktop+agent pairs, and nothing left behind.
 * The steps build on each other and run in order.
 */

const mainProject = 'bytebot-containers-test';
const scaleProject = 'bytebot-containers-test-scale';
const minutes = 60_000;

interface Task {
  id: string;
  status: string;
  description: string;
  error?: string | null;
  desktopId?: string | null;
}

type Block = Record<string, unknown> & { type: string };

interface Message {
  id: string;
  role: string;
  content: Block[];
}

const unfinished = ['PENDING', 'RUNNING'];

/** The screenshot files a task's messages refer to (tool results hold them as `source.type: file`). */
function screenshotFiles(messages: Message[]): string[] {
  const files: string[] = [];
  const visit = (block: Block) => {
    const source = block.source as { type?: string; id?: string } | undefined;
    if (block.type === 'image' && source?.type === 'file' && source.id) files.push(source.id);
    if (Array.isArray(block.content)) for (const inner of block.content as Block[]) visit(inner);
  };
  for (const message of messages) for (const block of message.content) visit(block);
  return files;
}

function description(request: RecordedRequest): string {
  const first = request.body.messages[0]?.content[0] as { text?: string } | undefined;
  return first?.text ?? '';
}

/** The host's own addresses other than loopback and podman's bridges: where the UI must not answer. */
function outsideAddresses(): string[] {
  return Object.entries(networkInterfaces())
    .filter(([name]) => !/^(lo|podman|cni|veth)/.test(name))
    .flatMap(([, addresses]) => addresses ?? [])
    .filter((address) => address.family === 'IPv4' && !address.internal)
    .map((address) => address.address);
}

describe('containers: images built here, the compose stacks run end to end', () => {
  let base: BaseImages;
  let service: Stoppable & { socket: string };
  let healthchecks: Stoppable | undefined;
  let model: ScriptedAnthropicServer;
  let relay: ModelRelay;
  let main: ComposeProject;
  let scale: ComposeProject;
  let ui: UiClient;
  let uiUrl: string;
  let inventoryBefore: Awaited<ReturnType<typeof podmanInventory>>;
  const figures: string[] = [];
  /** What the steps so far have made: a step whose prerequisite failed is skipped, not failed again. */
  const reached = { images: false, mainUp: false, task: false, killedTask: false };
  function requires(context: { skip: (note?: string) => void }, what: keyof typeof reached): void {
    if (!reached[what]) context.skip(`an earlier step did not get to: ${what}`);
  }
  /** What the first task left, checked again after `down` and `up`. */
  const kept: {
    task?: Task;
    messages?: Message[];
    screenshots?: string[];
    token?: string;
    password?: string;
  } = {};

  const tasks = {
    async create(client: UiClient, text: string): Promise<Task> {
      const created = await client.request<Task>('POST', '/api/agent/tasks', { description: text });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    },
    async get(client: UiClient, id: string): Promise<Task> {
      const answer = await client.request<Task>('GET', `/api/agent/tasks/${id}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    },
    /** Until the task leaves PENDING and RUNNING; its final state. */
    finished(client: UiClient, id: string, timeoutMs: number): Promise<Task> {
      let last: Task | undefined;
      return until(
        `task ${id} to finish`,
        async () => {
          last = await tasks.get(client, id);
          return unfinished.includes(last.status) ? undefined : last;
        },
        timeoutMs,
        async () => JSON.stringify(last),
      );
    },
    async messages(client: UiClient, id: string): Promise<Message[]> {
      const answer = await client.request<Message[]>('GET', `/api/agent/tasks/${id}/messages?limit=1000`);
      expect(answer.status).toBe(200);
      return answer.body;
    },
  };

  /** The UI's generated password, as a user finds it: in the UI container's log of its first start. */
  async function uiPassword(project: ComposeProject): Promise<string> {
    const logs = await project.logs('ui');
    const password = /The UI's password \(generated now[^)]*\): (\S+)/.exec(logs)?.[1];
    if (!password) throw new Error(`no password in the UI's log:\n${logs.slice(-2000)}`);
    return password;
  }

  /**
   * A file of the desktop user's home, read through bytebotd's API (read_file) with the shared token, from
   * inside the agent container: bytebotd is reachable only on the stack's own network.
   */
  async function readDesktopFile(project: ComposeProject, agent: string, desktop: string, path: string) {
    const script = [
      "const token = require('fs').readFileSync('/data/token', 'utf8').trim();",
      "fetch(process.argv[1] + '/computer-use', { method: 'POST', headers: { authorization: 'Bearer ' + token,",
      "'content-type': 'application/json' }, body: JSON.stringify({ action: 'read_file', path: process.argv[2] }) })",
      '.then((response) => response.json()).then((body) => process.stdout.write(JSON.stringify(body)),',
      '(error) => { console.error(error); process.exit(1); });',
    ].join(' ');
    const output = await project.exec(agent, ['node', '-e', script, `http://${desktop}:9990`, path]);
    return JSON.parse(output) as { success?: boolean; data?: string; error?: unknown };
  }

  /** bytebotd's /health as the agent sees it (display, input and the live view's VNC server). */
  async function desktopHealth(project: ComposeProject, agent: string, desktop: string) {
    const output = await project.exec(agent, [
      'node',
      '-e',
      'fetch(process.argv[1]).then((response) => response.text()).then((text) => process.stdout.write(text))',
      `http://${desktop}:9990/health`,
    ]);
    return JSON.parse(output) as { status: string; checks: Record<string, boolean> };
  }

  beforeAll(async () => {
    const installed = await installPodman();
    figures.push(`podman install check: ${installed.toFixed(1)} s`);
    base = await prepareBaseImages();
    figures.push(
      `base images (${base.local ? 'made locally' : 'from Docker Hub'}): ${base.seconds.toFixed(1)} s`,
    );
    service = await startPodmanService();
    healthchecks = startHealthchecks();
    model = await startScriptedAnthropicServer();
    relay = await startModelRelay(model.url);
    const uiPort = await freePort();
    uiUrl = `http://127.0.0.1:${uiPort}`;
    const environment = {
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      // As a user passes a proxy of the API: the containers reach the scripted model on the host.
      ANTHROPIC_BASE_URL: relay.containerUrl,
      UI_PORT: String(uiPort),
      ...base.environment,
    };
    main = new ComposeProject(
      mainProject,
      ['deploy/docker-compose.yml', ...base.composeOverrides],
      environment,
      service.socket,
    );
    scale = new ComposeProject(
      scaleProject,
      ['deploy/docker-compose.scale.yml', ...base.composeOverrides],
      environment,
      service.socket,
    );
    // What an earlier run that stopped half way may have left.
    await main.purge();
    await scale.purge();
    inventoryBefore = await podmanInventory();
  }, 30 * minutes);

  afterAll(async () => {
    for (const project of [main, scale]) {
      if (!project) continue;
      await project.down({ volumes: true }).catch((error: Error) => log(`down: ${error.message}`));
      await project.purge().catch((error: Error) => log(`purge: ${error.message}`));
    }
    await relay?.close();
    await model?.close();
    await healthchecks?.stop();
    await service?.stop();
    // Old untagged images of earlier builds, not the layers of the current ones (those are a week younger).
    await podman(['image', 'prune', '--force', '--filter', 'until=168h']).catch(() => '');
    log(`figures:\n  ${figures.join('\n  ')}`);
  }, 10 * minutes);

  it(
    'builds the desktop, agent and UI images with podman from the real Dockerfiles, within their size budgets',
    async () => {
      const budgets = { desktop: 1.5e9, agent: 400e6, ui: 400e6 };
      for (const name of imageNames) {
        const { seconds, bytes } = await buildImage(name, name === 'desktop' ? base.desktopBuildArgs : {});
        figures.push(`image ${name}: built in ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(0)} MB`);
        expect(bytes, `${name} image size`).toBeLessThan(budgets[name]);
      }
      reached.images = true;
      // The image's own health check survives the build (podman keeps it only in Docker format).
      const healthcheck = await podman([
        'image',
        'inspect',
        '--format',
        '{{json .Config.Healthcheck}}',
        'bytebot-agent:0.1.0',
      ]);
      expect(healthcheck).toContain('/health');
    },
    40 * minutes,
  );

  it(
    'brings up docker-compose.yml with every health check green, publishing only the UI, on 127.0.0.1',
    async (context) => {
      requires(context, 'images');
      const watched = [9990, 9991, 5432, 6379, 5900];
      const answeredBefore = new Map<number, boolean>();
      for (const port of watched) answeredBefore.set(port, await answers(port));
      const started = performance.now();
      await main.up();
      await main.waitHealthy(3 * minutes);
      await until(
        'the UI',
        async () => ((await fetch(`${uiUrl}/health`).catch(() => undefined))?.ok ? true : undefined),
        minutes,
      );
      const ready = (performance.now() - started) / 1000;
      reached.mainUp = true;
      figures.push(`compose up to ready (every health check green, the UI answering): ${ready.toFixed(1)} s`);
      expect(ready).toBeLessThan(120);

      const containers = await main.containers();
      const byService = new Map(
        containers.map((container) => [container.Labels?.['com.docker.compose.service'], container.State]),
      );
      expect(Object.fromEntries(byService)).toEqual({
        token: 'exited',
        desktop: 'running',
        agent: 'running',
        ui: 'running',
        postgres: 'running',
        redis: 'running',
      });
      // The stack's own PostgreSQL and Redis, not the host's.
      const agentEnvironment = await main.exec('agent', ['printenv', 'DATABASE_URL', 'REDIS_URL']);
      expect(agentEnvironment).toContain('@postgres:5432/');
      expect(agentEnvironment).toContain('redis://redis:6379');

      // Only the UI is published, on the loopback address. (The host runs PostgreSQL and Redis of its own
      // on 5432 and 6379: what the stack publishes is read from podman, not guessed from what answers.)
      expect(await main.publishedPorts()).toEqual([
        expect.objectContaining({
          service: 'ui',
          hostIp: '127.0.0.1',
          hostPort: new URL(uiUrl).port,
          containerPort: '9992/tcp',
        }),
      ]);
      for (const port of watched) {
        if (answeredBefore.get(port)) continue;
        expect(await answers(port), `something answers on 127.0.0.1:${port}`).toBe(false);
      }
      for (const address of outsideAddresses()) {
        expect(await answers(Number(new URL(uiUrl).port), address), `the UI on ${address}`).toBe(false);
      }
    },
    10 * minutes,
  );

  it(
    'logs in to the UI, runs a task through its proxy to COMPLETED on the desktop container, and reads it back',
    async (context) => {
      requires(context, 'mainUp');
      ui = new UiClient(uiUrl);
      expect((await ui.request('GET', '/api/agent/tasks')).status).toBe(401);
      const password = await uiPassword(main);
      expect(await ui.login('not the password')).toBe(401);
      expect(await ui.login(password)).toBe(303);
      expect(ui.loggedIn).toBe(true);
      kept.password = password;
      kept.token = (await main.exec('agent', ['cat', '/data/token'])).trim();
      expect(kept.token.length).toBeGreaterThan(20);
      // The live view's VNC server runs too (it needs the IPC_OWNER capability compose gives the desktop).
      expect(await desktopHealth(main, 'agent', 'desktop')).toMatchObject({
        status: 'ok',
        checks: { display: true, input: true, vnc: true },
      });
      // A page of another origin cannot create tasks through the UI, even with the session.
      const foreign = await ui.request(
        'POST',
        '/api/agent/tasks',
        { description: 'no' },
        'http://evil.example',
      );
      expect(foreign.status).toBe(403);

      const sentence = `Typed in a container ${randomUUID().slice(0, 8)}.`;
      const path = `/home/bytebot/container-note-${randomUUID()}.txt`;
      model.play([
        reply.computer({ action: 'screenshot' }, 'I will look at the screen first.'),
        reply.tool('open_application', { application: 'text_editor' }),
        reply.computer({ action: 'type', text: sentence }),
        reply.computer({ action: 'key', text: 'ctrl+s' }),
        reply.computer({ action: 'wait', duration: 1.5 }),
        reply.computer({ action: 'type', text: path }),
        reply.computer({ action: 'wait', duration: 1 }),
        reply.computer({ action: 'key', text: 'Return' }),
        reply.computer({ action: 'wait', duration: 1 }),
        reply.tool('set_task_status', { status: 'completed', description: `Saved the sentence in ${path}` }),
      ]);
      const created = await tasks.create(ui, 'Write a sentence into a new text file');
      const task = await tasks.finished(ui, created.id, 3 * minutes);
      expect(task.status, task.error ?? '').toBe('COMPLETED');

      const file = await readDesktopFile(main, 'agent', 'desktop', path);
      expect(file.success, JSON.stringify(file)).toBe(true);
      expect(Buffer.from(file.data ?? '', 'base64').toString('utf8')).toContain(sentence);

      const messages = await tasks.messages(ui, task.id);
      expect(messages.length).toBeGreaterThanOrEqual(20);
      const typed = messages
        .flatMap((message) => message.content)
        .filter((block) => block.type === 'tool_use');
      expect(JSON.stringify(typed)).toContain(sentence);
      const screenshots = screenshotFiles(messages);
      expect(screenshots.length).toBeGreaterThan(0);
      const image = await ui.bytes(`/api/agent/tasks/${task.id}/screenshots/${screenshots[0]}`);
      expect(image.status).toBe(200);
      expect(image.contentType).toMatch(/^image\//);
      expect(image.data.subarray(1, 4).toString('latin1')).toBe('PNG');
      Object.assign(kept, { task, messages, screenshots });
      reached.task = true;
    },
    10 * minutes,
  );

  it(
    'keeps the task, its messages and screenshots, the token and the UI password across down and up',
    async (context) => {
      requires(context, 'task');
      reached.mainUp = false;
      await main.down({ volumes: false });
      expect(await main.containers()).toEqual([]);
      await main.up();
      await main.waitHealthy(3 * minutes);
      reached.mainUp = true;
      await until(
        'the UI',
        async () => ((await fetch(`${uiUrl}/health`).catch(() => undefined))?.ok ? true : undefined),
        minutes,
      );
      expect((await main.exec('agent', ['cat', '/data/token'])).trim()).toBe(kept.token);
      ui = new UiClient(uiUrl);
      expect(await ui.login(kept.password ?? '')).toBe(303);
      const id = kept.task?.id ?? '';
      expect((await tasks.get(ui, id)).status).toBe('COMPLETED');
      expect(await tasks.messages(ui, id)).toEqual(kept.messages);
      for (const file of kept.screenshots ?? []) {
        const image = await ui.bytes(`/api/agent/tasks/${id}/screenshots/${file}`);
        expect(image.status, file).toBe(200);
      }
    },
    10 * minutes,
  );

  /** The task the desktop was killed under. */
  let killedTask: Task | undefined;

  it(
    'ends a task in a clear state when the desktop container is killed mid-task, and goes on once it is back',
    async (context) => {
      requires(context, 'mainUp');
      const killed = gate();
      // A model that keeps trying: after the kill, every step fails on the desktop until the agent stops.
      model.play([
        reply.computer({ action: 'screenshot' }),
        killed.step(reply.computer({ action: 'mouse_move', coordinate: [200, 200] })),
        ...Array.from({ length: 30 }, () => reply.computer({ action: 'screenshot' })),
      ]);
      const created = await tasks.create(ui, 'Move the pointer while the desktop goes away');
      await Promise.race([
        killed.reached,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the model was never asked')), 2 * minutes),
        ),
      ]);
      const desktop = await main.container('desktop');
      reached.mainUp = false;
      await podman(['kill', desktop]);
      killed.release();
      killedTask = await tasks.finished(ui, created.id, 5 * minutes);
      log(`after the kill: ${killedTask.status}: ${killedTask.error}`);
      expect(['NEEDS_HELP', 'FAILED']).toContain(killedTask.status);
      expect(killedTask.error ?? '').not.toBe('');
      reached.killedTask = true;

      // The desktop comes back (restart policies leave a killed container stopped) and takes work again.
      await podman(['start', desktop]);
      await main.waitHealthy(4 * minutes);
      reached.mainUp = true;
      model.play([
        reply.computer({ action: 'screenshot' }),
        reply.tool('set_task_status', { status: 'completed', description: 'The desktop answered again.' }),
      ]);
      const next = await tasks.create(ui, 'Look at the screen once the desktop is back');
      const done = await tasks.finished(ui, next.id, 3 * minutes);
      expect(done.status, done.error ?? '').toBe('COMPLETED');
    },
    15 * minutes,
  );

  // The model's call the kill interrupted has no result: the agent answers it when the task goes on.
  it(
    'retries the killed task with a message once the desktop is back',
    async (context) => {
      requires(context, 'killedTask');
      if (!killedTask) throw new Error('no killed task');
      model.play([
        reply.computer({ action: 'screenshot' }),
        reply.tool('set_task_status', { status: 'completed', description: 'The desktop answered again.' }),
      ]);
      const retried = await ui.request('POST', `/api/agent/tasks/${killedTask.id}/messages`, {
        message: 'The desktop is back: try again.',
      });
      expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      const done = await tasks.finished(ui, killedTask.id, 3 * minutes);
      log(`the killed task, retried: ${done.status}: ${done.error ?? ''}`);
      expect(done.status, done.error ?? '').toBe('COMPLETED');
    },
    5 * minutes,
  );

  it(
    'loses no stored message when the PostgreSQL container restarts',
    async (context) => {
      requires(context, 'mainUp');
      const all = await ui.request<{ tasks: Task[] }>('GET', '/api/agent/tasks?limit=100');
      const before = new Map<string, Message[]>();
      for (const task of all.body.tasks) before.set(task.id, await tasks.messages(ui, task.id));
      expect(before.size).toBe(3);
      await main.compose(['restart', 'postgres']);
      await main.waitHealthy(3 * minutes);
      for (const [id, messages] of before) expect(await tasks.messages(ui, id), id).toEqual(messages);
      // The agent reconnects: a new task runs and is stored.
      model.play([
        reply.computer({ action: 'screenshot' }),
        reply.tool('set_task_status', { status: 'completed', description: 'done' }),
      ]);
      const created = await tasks.create(ui, 'Look at the screen after the database restarted');
      const done = await tasks.finished(ui, created.id, 3 * minutes);
      expect(done.status, done.error ?? '').toBe('COMPLETED');
      expect(await tasks.messages(ui, created.id)).toHaveLength(5);
    },
    10 * minutes,
  );

  it(
    'scale-out: two desktops and two agents on one PostgreSQL and Redis complete 10 tasks, each exactly once',
    async (context) => {
      requires(context, 'images');
      reached.mainUp = false;
      await main.down({ volumes: true });
      await scale.up();
      await scale.waitHealthy(4 * minutes);
      await until(
        'the UI',
        async () => ((await fetch(`${uiUrl}/health`).catch(() => undefined))?.ok ? true : undefined),
        minutes,
      );
      expect((await scale.publishedPorts()).map((port) => `${port.service} ${port.hostIp}`)).toEqual([
        'ui 127.0.0.1',
      ]);
      for (const [agent, desktop] of [
        ['agent-1', 'desktop-1'],
        ['agent-2', 'desktop-2'],
      ] as const) {
        expect((await desktopHealth(scale, agent, desktop)).checks).toMatchObject({
          display: true,
          vnc: true,
        });
      }
      const client = new UiClient(uiUrl);
      expect(await client.login(await uiPassword(scale))).toBe(303);

      /** Which container asked for each task's first step. */
      const ranBy = new Map<string, string[]>();
      const step = async (request: RecordedRequest) => {
        if (request.body.messages.length === 1) {
          const key = description(request);
          ranBy.set(key, [...(ranBy.get(key) ?? []), String(request.headers[relayRemoteHeader])]);
          // A little thinking time, so one agent cannot take every task before the other looks.
          await new Promise((resolvePromise) => setTimeout(resolvePromise, 300));
          return reply.computer({ action: 'screenshot' })(request);
        }
        return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
      };
      model.play(Array.from({ length: 40 }, () => step));
      const descriptions = Array.from({ length: 10 }, (_, index) => `scaled task ${index} ${randomUUID()}`);
      const ids: string[] = [];
      for (const text of descriptions) ids.push((await tasks.create(client, text)).id);
      const ranOn = new Set<string>();
      for (const id of ids) {
        const task = await tasks.finished(client, id, 5 * minutes);
        expect(task.status, task.error ?? '').toBe('COMPLETED');
        ranOn.add(String(task.desktopId));
        // Run once: the opening, one screenshot step and its result, the final step and its result.
        expect(await tasks.messages(client, id)).toHaveLength(5);
      }
      for (const text of descriptions) expect(ranBy.get(text), text).toHaveLength(1);
      // Each task records the desktop it ran on, under the id the compose file gives each pair; the UI, on
      // agent-1, lists both desktops of the fleet, idle again.
      expect([...ranOn].sort()).toEqual(['desktop-1', 'desktop-2']);
      const listed = await until(
        'both desktops listed idle through the UI',
        async () => {
          const answer = await client.request<{ desktops?: Array<{ id: string; state: string }> }>(
            'GET',
            '/api/agent/desktops',
          );
          const idle = (answer.body.desktops ?? []).filter((desktop) => desktop.state === 'idle');
          return idle.length === 2 ? idle.map((desktop) => desktop.id).sort() : undefined;
        },
        minutes,
      );
      expect(listed).toEqual(['desktop-1', 'desktop-2']);
      const addresses = async (service: string) =>
        (
          await podman([
            'inspect',
            '--format',
            '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
            await scale.container(service),
          ])
        ).split(/\s+/);
      const agentOf = new Map<string, string>();
      for (const agent of ['agent-1', 'agent-2'])
        for (const ip of await addresses(agent)) agentOf.set(ip, agent);
      const agents = [...ranBy.values()].flat().map((address) => agentOf.get(address) ?? address);
      const counts = new Map<string, number>();
      for (const agent of agents) counts.set(agent, (counts.get(agent) ?? 0) + 1);
      log(`tasks per agent: ${JSON.stringify(Object.fromEntries(counts))}`);
      expect(new Set(agents)).toEqual(new Set(['agent-1', 'agent-2']));
    },
    20 * minutes,
  );

  it(
    'tears everything down, leaving no container, volume or network of its own',
    async () => {
      await main.down({ volumes: true });
      await scale.down({ volumes: true });
      for (const project of [main, scale]) expect(await project.containers(), project.name).toEqual([]);
      for (const kind of ['volume', 'network'] as const) {
        const left = await podman([kind, 'ls', '--quiet', '--filter', 'label=com.docker.compose.project']);
        expect(left.split('\n').filter((line) => line.includes('bytebot-containers-test'))).toEqual([]);
      }
      const now = await podmanInventory();
      expect(now.containers.filter((id) => !inventoryBefore.containers.includes(id))).toEqual([]);
      expect(now.volumes.filter((id) => !inventoryBefore.volumes.includes(id))).toEqual([]);
      expect(now.networks.filter((id) => !inventoryBefore.networks.includes(id))).toEqual([]);
    },
    5 * minutes,
  );
});
