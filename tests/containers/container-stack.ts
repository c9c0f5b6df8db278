import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The container path, driven as a user drives it: podman and docker-compose 1.29 from Debian (which speaks
 * to `podman system service`'s Docker API), the base images made by deploy/local-base-images.sh where
 * Docker Hub is out of reach, the real Dockerfiles and compose files. Shared by the container tests and
 * bench/containers.bench.ts.
 */

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end; fails with its output unless it exits 0 (or `allowFailure`). */
export function run(
  command: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    allowFailure?: boolean;
    cwd?: string;
    /** Sent at the time limit (SIGKILL unless said); SIGKILL follows 30 s later. */
    timeoutSignal?: NodeJS.Signals;
  } = {},
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolvePromise, rejectPromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repositoryRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill(options.timeoutSignal ?? 'SIGKILL');
      killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    }, options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      rejectPromise(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      const result = { code: code ?? -1, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      if (result.code === 0 || options.allowFailure) {
        resolvePromise(result);
        return;
      }
      const tail = (text: string) => text.split('\n').slice(-40).join('\n');
      rejectPromise(
        new Error(
          `${command} ${args.join(' ')} ${signal ? `was killed (${signal})` : `exited ${code}`}\n${tail(stdout)}\n${tail(stderr)}`,
        ),
      );
    });
  });
}

/** podman's standard output, trimmed. */
export async function podman(args: string[], timeoutMs = 120_000): Promise<string> {
  return (await run('podman', args, { timeoutMs })).stdout.trim();
}

export function log(line: string): void {
  process.stdout.write(`[containers] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Podman, the base images and our three images.

/** deploy/install-podman.sh: podman, docker-compose 1.29 and the containers.conf settings, when missing. */
export async function installPodman(): Promise<number> {
  return (await run('bash', ['deploy/install-podman.sh'], { timeoutMs: 600_000 })).seconds;
}

export interface BaseImages {
  /** Made here by deploy/local-base-images.sh (no Docker Hub), or the official ones. */
  local: boolean;
  seconds: number;
  /** The desktop's build arguments: Debian bookworm and its firefox-esr where Ubuntu cannot be pulled. */
  desktopBuildArgs: Record<string, string>;
  /** Compose files given after the real one (PostgreSQL and Redis made locally). */
  composeOverrides: string[];
  /** Compose's environment for the same choices (the desktop's build arguments). */
  environment: Record<string, string>;
}

export async function prepareBaseImages(): Promise<BaseImages> {
  const result = await run('bash', ['deploy/local-base-images.sh'], { timeoutMs: 900_000 });
  const local =
    (await run('podman', ['image', 'exists', 'localhost/node:20-bookworm-slim'], { allowFailure: true }))
      .code === 0;
  if (!local) {
    return { local, seconds: result.seconds, desktopBuildArgs: {}, composeOverrides: [], environment: {} };
  }
  const desktopBuildArgs = { BASE_IMAGE: 'localhost/debian:bookworm', FIREFOX_SOURCE: 'distro' };
  return {
    local,
    seconds: result.seconds,
    desktopBuildArgs,
    composeOverrides: ['deploy/docker-compose.local-images.yml'],
    environment: {
      DESKTOP_BASE_IMAGE: desktopBuildArgs.BASE_IMAGE,
      FIREFOX_SOURCE: desktopBuildArgs.FIREFOX_SOURCE,
    },
  };
}

export const imageNames = ['desktop', 'agent', 'ui'] as const;
export type ImageName = (typeof imageNames)[number];

/** The tags the compose files use. */
export function imageTag(name: ImageName): string {
  return `bytebot-${name}:0.1.0`;
}

/**
 * `podman build` of deploy/<name>.Dockerfile from the repository root, with the ignore file beside it.
 * Docker format, so that the HEALTHCHECK is kept (OCI images have no such field). Layers are cached
 * between runs (podman's default); `noCache` builds every step again.
 */
export async function buildImage(
  name: ImageName,
  buildArgs: Record<string, string>,
  options: { noCache?: boolean; attemptMs?: number } = {},
): Promise<{ seconds: number; bytes: number; attempts: number }> {
  const args = [
    'build',
    '--format',
    'docker',
    '--layers',
    ...(options.noCache ? ['--no-cache'] : []),
    '--ignorefile',
    `deploy/${name}.Dockerfile.dockerignore`,
    '-f',
    `deploy/${name}.Dockerfile`,
    ...Object.entries(buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
    '-t',
    imageTag(name),
    '.',
  ];
  // A download that stalls half way hangs npm for good (no timeout covers a response body): such a build
  // is stopped (SIGINT: podman then stops the step's processes) and made once more, the packages already
  // fetched coming from the npm cache mount.
  const started = performance.now();
  const attempts = 2;
  for (let attempt = 1; ; attempt += 1) {
    const before = new Set(await buildContainers());
    try {
      await run('podman', args, { timeoutMs: options.attemptMs ?? 900_000, timeoutSignal: 'SIGINT' });
      const seconds = (performance.now() - started) / 1000;
      return { seconds, bytes: await imageBytes(imageTag(name)), attempts: attempt };
    } catch (error) {
      // The working containers of a stopped build stay in storage: removed, with nothing else.
      const left = (await buildContainers()).filter((id) => !before.has(id));
      if (left.length > 0) await run('buildah', ['rm', ...left], { allowFailure: true });
      if (attempt >= attempts) throw error;
      log(`building ${name} failed (${(error as Error).message.split('\n')[0]}): once more`);
    }
  }
}

/** Working containers of builds (podman's and buildah's), by id. */
async function buildContainers(): Promise<string[]> {
  const text = await podman(['ps', '--all', '--external', '--no-trunc', '--format', '{{.ID}} {{.Status}}']);
  return text
    .split('\n')
    .filter((line) => / Storage$/.test(line))
    .map((line) => line.split(' ')[0] ?? '');
}

export async function imageBytes(image: string): Promise<number> {
  return Number(await podman(['image', 'inspect', '--format', '{{.Size}}', image]));
}

// ---------------------------------------------------------------------------------------------------
// Services this run starts on the host: podman's Docker API and the health-check runner.

export interface Stoppable {
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, group: boolean): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      resolvePromise();
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {}
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    try {
      if (group) process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      clearTimeout(timer);
      resolvePromise();
    }
  });
}

function pingSocket(socket: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const request = httpRequest({ socketPath: socket, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolvePromise(response.statusCode === 200);
    });
    request.on('error', () => resolvePromise(false));
    request.on('timeout', () => {
      request.destroy();
      resolvePromise(false);
    });
    request.end();
  });
}

/** `podman system service` on a socket of this run's own: the Docker API docker-compose talks to. */
export async function startPodmanService(
  directory = '/run/bytebot-containers-test',
): Promise<Stoppable & { socket: string }> {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const socket = join(directory, 'podman.sock');
  rmSync(socket, { force: true });
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors = (errors + chunk).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  while (!(existsSync(socket) && (await pingSocket(socket)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child, false);
      throw new Error(`podman system service did not answer on ${socket}\n${errors}`);
    }
    await sleep(200);
  }
  return {
    socket,
    async stop() {
      await stopChild(child, false);
      rmSync(socket, { force: true });
    },
  };
}

/**
 * deploy/podman-healthchecks.sh, where no systemd runs podman's health checks (else undefined): without
 * it every container stays "starting" and compose waits forever on `service_healthy`.
 */
export function startHealthchecks(): Stoppable | undefined {
  if (existsSync('/run/systemd/system')) return undefined;
  const child = spawn('bash', ['deploy/podman-healthchecks.sh'], {
    cwd: repositoryRoot,
    stdio: 'ignore',
    detached: true,
  });
  return { stop: () => stopChild(child, true) };
}

// ---------------------------------------------------------------------------------------------------
// A compose project.

export interface ContainerSummary {
  Id: string;
  Names: string[];
  State: string;
  Labels: Record<string, string> | null;
}

export interface PublishedPort {
  container: string;
  service: string;
  hostIp: string;
  hostPort: string;
  containerPort: string;
}

const emptyEnvironmentFile = join('/tmp', 'bytebot-containers-test.env');

export class ComposeProject {
  constructor(
    readonly name: string,
    readonly files: string[],
    readonly environment: Record<string, string>,
    readonly socket: string,
  ) {}

  /** docker-compose with this project's files, its own environment only (no deploy/.env of a developer). */
  compose(args: string[], timeoutMs = 600_000): Promise<CommandResult> {
    writeFileSync(emptyEnvironmentFile, '');
    return run(
      'docker-compose',
      [
        '--env-file',
        emptyEnvironmentFile,
        '-p',
        this.name,
        ...this.files.flatMap((file) => ['-f', file]),
        ...args,
      ],
      {
        timeoutMs,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DOCKER_HOST: `unix://${this.socket}`,
          COMPOSE_HTTP_TIMEOUT: '600',
          ...this.environment,
        },
      },
    );
  }

  /** `up -d` from the images already built; waits, as compose does, for each dependency's health. */
  async up(): Promise<number> {
    return (await this.compose(['up', '-d', '--no-build'])).seconds;
  }

  async down(options: { volumes: boolean }): Promise<number> {
    const args = ['down', '--remove-orphans', ...(options.volumes ? ['--volumes'] : [])];
    return (await this.compose(args)).seconds;
  }

  async containers(): Promise<ContainerSummary[]> {
    const text = await podman([
      'ps',
      '--all',
      '--format',
      'json',
      '--filter',
      `label=com.docker.compose.project=${this.name}`,
    ]);
    return JSON.parse(text || '[]') as ContainerSummary[];
  }

  async container(service: string): Promise<string> {
    const found = (await this.containers()).filter(
      (container) => container.Labels?.['com.docker.compose.service'] === service,
    );
    if (found.length !== 1) throw new Error(`${this.name}: ${found.length} containers of ${service}`);
    return found[0]?.Id ?? '';
  }

  async exec(service: string, command: string[]): Promise<string> {
    return (await run('podman', ['exec', await this.container(service), ...command])).stdout;
  }

  async logs(service: string): Promise<string> {
    const result = await run('podman', ['logs', await this.container(service)]);
    return `${result.stdout}${result.stderr}`;
  }

  /** Health of every running container that has a check: service -> starting | healthy | unhealthy. */
  async health(): Promise<Record<string, string>> {
    const running = (await this.containers()).filter((container) => container.State === 'running');
    if (running.length === 0) return {};
    const text = await podman([
      'inspect',
      '--format',
      '{{index .Config.Labels "com.docker.compose.service"}} {{if .Config.Healthcheck}}{{.State.Health.Status}}{{else}}none{{end}}',
      ...running.map((container) => container.Id),
    ]);
    return Object.fromEntries(text.split('\n').map((line) => line.trim().split(/\s+/) as [string, string]));
  }

  /** Until every running container with a health check is healthy; fails on one that is unhealthy. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.health();
      const states = Object.entries(health).filter(([, state]) => state !== 'none');
      const unhealthy = states.filter(([, state]) => state === 'unhealthy');
      if (unhealthy.length > 0) throw new Error(`${this.name}: unhealthy: ${JSON.stringify(health)}`);
      if (states.length > 0 && states.every(([, state]) => state === 'healthy')) return;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: not healthy in time: ${JSON.stringify(health)}`);
      await sleep(250);
    }
  }

  /** Every port any container of the project publishes on the host. */
  async publishedPorts(): Promise<PublishedPort[]> {
    const published: PublishedPort[] = [];
    for (const container of await this.containers()) {
      const text = await podman(['inspect', '--format', '{{json .HostConfig.PortBindings}}', container.Id]);
      const bindings = JSON.parse(text || 'null') as Record<
        string,
        Array<{ HostIp: string; HostPort: string }> | null
      > | null;
      for (const [containerPort, hosts] of Object.entries(bindings ?? {})) {
        for (const host of hosts ?? []) {
          published.push({
            container: container.Names[0] ?? container.Id,
            service: container.Labels?.['com.docker.compose.service'] ?? '',
            hostIp: host.HostIp,
            hostPort: host.HostPort,
            containerPort,
          });
        }
      }
    }
    return published;
  }

  /** Whatever is left of the project (after a run that stopped half way): containers, volumes, networks. */
  async purge(): Promise<void> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const containers = await podman(['ps', '--all', '--quiet', '--filter', label]);
    if (containers) await podman(['rm', '--force', '--volumes', ...containers.split('\n')]);
    const volumes = await podman(['volume', 'ls', '--quiet', '--filter', label]);
    if (volumes) await podman(['volume', 'rm', '--force', ...volumes.split('\n')]);
    const networks = await podman(['network', 'ls', '--quiet', '--filter', label]);
    if (networks) await podman(['network', 'rm', '--force', ...networks.split('\n')]);
  }
}

/** What podman holds now: container, volume and network ids, to tell what a run left behind. */
export async function podmanInventory(): Promise<{
  containers: string[];
  volumes: string[];
  networks: string[];
}> {
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  return {
    containers: lines(await podman(['ps', '--all', '--quiet', '--no-trunc'])),
    volumes: lines(await podman(['volume', 'ls', '--quiet'])),
    networks: lines(await podman(['network', 'ls', '--quiet', '--no-trunc'])),
  };
}

// ---------------------------------------------------------------------------------------------------
// The scripted model, reachable from the containers.

export interface ModelRelay {
  /** http://host.containers.internal:PORT: what the agent containers get as ANTHROPIC_BASE_URL. */
  containerUrl: string;
  port: number;
  close(): Promise<void>;
}

/** The header the relay adds: which container sent the request (its address on the podman network). */
export const relayRemoteHeader = 'x-bytebot-test-remote-address';

function ipv4Number(address: string): number {
  return address.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function inSubnet(address: string, subnet: string): boolean {
  const [base = '', bits = '32'] = subnet.split('/');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4Number(address) / size) === Math.floor(ipv4Number(base) / size);
}

async function podmanSubnets(): Promise<string[]> {
  const text = await podman(['network', 'ls', '--format', '{{range .Subnets}}{{.Subnet}} {{end}}']);
  return text.split(/\s+/).filter((subnet) => subnet.includes('/'));
}

/**
 * The scripted model server listens on 127.0.0.1, which containers cannot reach. This relay listens on
 * every address of the host (the containers reach it as host.containers.internal, the gateway of their
 * podman network), answers only addresses of podman's networks, and passes each request on unchanged,
 * adding which container sent it.
 */
export async function startModelRelay(targetUrl: string): Promise<ModelRelay> {
  let subnets = await podmanSubnets();
  let refreshed = 0;
  const fromContainer = async (address: string): Promise<boolean> => {
    const plain = address.replace(/^::ffff:/, '');
    if (subnets.some((subnet) => inSubnet(plain, subnet))) return true;
    if (Date.now() - refreshed < 1_000) return false;
    refreshed = Date.now();
    subnets = await podmanSubnets();
    return subnets.some((subnet) => inSubnet(plain, subnet));
  };
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      try {
        const remote = request.socket.remoteAddress ?? '';
        if (!(await fromContainer(remote))) {
          response.writeHead(403).end();
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) continue;
          if (typeof value === 'string') headers.set(name, value);
        }
        headers.set(relayRemoteHeader, remote.replace(/^::ffff:/, ''));
        const upstream = await fetch(`${targetUrl}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers,
          ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        const answer: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) {
            answer[name] = value;
          }
        });
        response.writeHead(upstream.status, answer).end(body);
      } catch (error) {
        response.writeHead(502).end(String(error));
      }
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '0.0.0.0', resolvePromise));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    containerUrl: `http://host.containers.internal:${port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// The UI, as a program logs in to it and uses its proxy.

export interface UiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class UiClient {
  private cookie: string | undefined;

  constructor(readonly url: string) {}

  /** POST /login with the password (the UI's own origin, as its login page sends it): 303 and a session. */
  async login(password: string): Promise<number> {
    const response = await fetch(`${this.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.url },
      body: new URLSearchParams({ password, next: '/' }).toString(),
    });
    await response.arrayBuffer();
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (response.status === 303 && cookie?.startsWith('bytebot_session=') && cookie.length > 20) {
      this.cookie = cookie;
    }
    return response.status;
  }

  get loggedIn(): boolean {
    return this.cookie !== undefined;
  }

  /** A call through the UI's server, with the session and the UI's own Origin (as its pages send). */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    origin = this.url,
  ): Promise<UiAnswer<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        origin,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  async bytes(path: string): Promise<{ status: number; contentType: string; data: Buffer }> {
    const response = await fetch(`${this.url}${path}`, {
      headers: { origin: this.url, ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      data: Buffer.from(await response.arrayBuffer()),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** A TCP port free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  return port;
}

/** Whether anything accepts a TCP connection on host:port. */
export function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until the check returns a value (not undefined); fails with the last value seen. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  describe?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${describe ? `: ${await describe()}` : ''}`);
    }
    await sleep(250);
  }
}
