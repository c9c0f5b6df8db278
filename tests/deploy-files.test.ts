import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment } from '@bytebot/config';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Checks deploy/ without Docker or Helm (neither can build or render here): the compose files, the
 * Dockerfiles and the Helm chart are read as text and held against the repository itself (its npm
 * scripts, the ports its services serve, its workspaces, the one list of desktop packages).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const deploy = join(root, 'deploy');
const chartDirectory = join(deploy, 'helm/bytebot');

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown): Json {
  return isObject(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const rootScripts = object(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts);

// ---------------------------------------------------------------------------------------------------
// What the repository serves, read from its own code.

/** The port each npm script's server listens on by default, and the variable that changes it. */
function servedByScript(): Record<string, { port: number; variable: string }> {
  const environment = readEnvironment({});
  const uiServer = readFileSync(join(root, 'packages/ui/server/ui-server.ts'), 'utf8');
  const uiPort = Number(/function readUiPort[\s\S]*?return (\d+);/.exec(uiServer)?.[1]);
  if (!Number.isInteger(uiPort)) throw new Error('the UI port default was not found in ui-server.ts');
  return {
    'start:desktop': { port: environment.bytebotdPort, variable: 'BYTEBOTD_PORT' },
    'start:bytebotd': { port: environment.bytebotdPort, variable: 'BYTEBOTD_PORT' },
    'start:agent': { port: environment.agentPort, variable: 'AGENT_PORT' },
    'start:ui': { port: uiPort, variable: 'UI_PORT' },
  };
}
const served = servedByScript();

/** Images we do not build, and the port each serves. */
const wellKnownImages: Record<string, number> = { postgres: 5432, redis: 6379 };

/** Names whose value is a secret: never written literally in a compose file. */
const secretName = /(_API_KEY|_TOKEN|_PASSWORD|_SECRET)$/;

/** Workspace directories (packages/x) by package name. */
const workspaces = new Map<string, { directory: string; dependencies: string[] }>();
for (const directory of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', directory, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  workspaces.set(manifest.name, {
    directory: `packages/${directory}`,
    dependencies: Object.keys(object(manifest.dependencies)),
  });
}

/** The workspace directories a workspace needs at run time: itself and its @bytebot dependencies. */
function workspaceClosure(name: string, seen = new Set<string>()): Set<string> {
  const workspace = workspaces.get(name);
  if (!workspace || seen.has(workspace.directory)) return seen;
  seen.add(workspace.directory);
  for (const dependency of workspace.dependencies) workspaceClosure(dependency, seen);
  return seen;
}

// ---------------------------------------------------------------------------------------------------
// Dockerfiles.

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

interface Dockerfile {
  file: string;
  text: string;
  globalArgs: Map<string, string>;
  stages: Stage[];
}

function parseDockerfile(file: string): Dockerfile {
  const text = readFileSync(file, 'utf8');
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // Comment lines are dropped, even inside a continued instruction (as Docker does).
    if (trimmed.startsWith('#') || (trimmed === '' && pending === '')) continue;
    pending += `${pending ? ' ' : ''}${trimmed.replace(/\\$/, '').trim()}`;
    if (trimmed.endsWith('\\')) continue;
    const [keyword = '', ...rest] = pending.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
    pending = '';
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}/g, (_, variable: string) => globalArgs.get(variable) ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name = '', value = ''] = instruction.args.split('=');
        globalArgs.set(name, value);
      }
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { file, text, globalArgs, stages };
}

function finalStage(dockerfile: Dockerfile): Stage {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error(`${dockerfile.file}: no FROM`);
  return stage;
}

function instructionsOf(dockerfile: Dockerfile, keyword: string): Instruction[] {
  return dockerfile.stages.flatMap((stage) => stage.instructions.filter((item) => item.keyword === keyword));
}

/** The words of a CMD, RUN or HEALTHCHECK CMD: its JSON form, or the shell form split on spaces. */
function commandWords(args: string): string[] {
  const text = args.replace(/^(--\S+\s+)*CMD\s+/, '');
  if (text.startsWith('[')) return JSON.parse(text) as string[];
  return text.split(/\s+/);
}

/** ENV name=value pairs (both `ENV a=b c=d` and `ENV a b`). */
function environmentOf(instructions: Instruction[]): Map<string, string> {
  const environment = new Map<string, string>();
  for (const { args } of instructions) {
    if (/^\w+=/.test(args)) {
      for (const pair of args.match(/\w+=("[^"]*"|\S*)/g) ?? []) {
        const [name = '', ...value] = pair.split('=');
        environment.set(name, value.join('=').replace(/^"|"$/g, ''));
      }
    } else {
      const [name = '', ...value] = args.split(/\s+/);
      environment.set(name, value.join(' '));
    }
  }
  return environment;
}

/** The packages each `apt-get install` in the file names. */
function aptPackages(dockerfile: Dockerfile): string[] {
  const packages: string[] = [];
  for (const { args } of instructionsOf(dockerfile, 'RUN')) {
    for (const command of args.split(/&&|\|\||;|\|/)) {
      const match = /\bapt(?:-get)?\s+install\b(.*)/.exec(command);
      if (!match) continue;
      packages.push(...(match[1] ?? '').split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')));
    }
  }
  return packages;
}

function npmScriptsCalled(dockerfile: Dockerfile): string[] {
  const scripts: string[] = [];
  for (const instruction of [...instructionsOf(dockerfile, 'RUN'), ...instructionsOf(dockerfile, 'CMD')]) {
    const text = instruction.keyword === 'CMD' ? commandWords(instruction.args).join(' ') : instruction.args;
    for (const match of text.matchAll(/npm run ([\w:.-]+)/g)) scripts.push(match[1] ?? '');
  }
  return scripts;
}

/** The npm script the image runs: its CMD must be `npm run <script>`. */
function startScript(dockerfile: Dockerfile): string {
  const command = finalStage(dockerfile).instructions.findLast((item) => item.keyword === 'CMD');
  const words = commandWords(command?.args ?? '');
  if (words[0] !== 'npm' || words[1] !== 'run' || !words[2]) {
    throw new Error(`${dockerfile.file}: CMD should be ["npm", "run", <script>], got ${words.join(' ')}`);
  }
  return words[2];
}

/** Context paths the file COPYs (not those copied from another stage). */
function contextSources(dockerfile: Dockerfile): string[] {
  return instructionsOf(dockerfile, 'COPY')
    .filter((item) => !item.args.includes('--from='))
    .flatMap((item) =>
      item.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1),
    );
}

const dockerfiles = ['desktop', 'agent', 'ui'].map((name) => ({
  name,
  dockerfile: parseDockerfile(join(deploy, `${name}.Dockerfile`)),
}));

/** Parsed Dockerfiles by absolute path, for the compose files' build sections. */
const dockerfileByPath = new Map(dockerfiles.map((entry) => [entry.dockerfile.file, entry.dockerfile]));

describe('Dockerfiles', () => {
  it.each(dockerfiles)(
    '$name: npm scripts exist, the port it serves is exposed and health-checked',
    ({ dockerfile }) => {
      for (const script of npmScriptsCalled(dockerfile)) {
        expect(rootScripts, `${dockerfile.file} runs npm run ${script}`).toHaveProperty([script]);
      }
      const script = startScript(dockerfile);
      const port = served[script]?.port;
      expect(port, `the port ${script} serves`).toBeDefined();
      const final = finalStage(dockerfile);
      const exposed = final.instructions.filter((item) => item.keyword === 'EXPOSE').map((item) => item.args);
      expect(exposed).toEqual([String(port)]);
      const healthcheck = final.instructions.find((item) => item.keyword === 'HEALTHCHECK');
      expect(healthcheck?.args).toContain(`${port}) + '/health'`);
      const environment = environmentOf(final.instructions.filter((item) => item.keyword === 'ENV'));
      expect(environment.get('BYTEBOT_HOST')).toBe('0.0.0.0');
      expect(environment.get('BYTEBOT_DATA_DIR')).toBe('/data');
      // With npm's default sh, `docker stop` kills npm's shell and node never hears SIGTERM.
      expect(environment.get('NPM_CONFIG_SCRIPT_SHELL')).toBe('/bin/bash');
    },
  );

  it.each(dockerfiles)('$name: no ENV or ARG holds a key, token or password', ({ dockerfile }) => {
    const names = [
      ...dockerfile.globalArgs.keys(),
      ...instructionsOf(dockerfile, 'ARG').map((item) => item.args.split('=')[0] ?? ''),
      ...environmentOf(instructionsOf(dockerfile, 'ENV')).keys(),
    ];
    expect(names.filter((name) => /KEY|TOKEN|SECRET|PASSWORD/i.test(name))).toEqual([]);
    // Nor anything that looks like a key, under any name.
    expect(dockerfile.text).not.toMatch(/\bsk-[A-Za-z0-9_-]{16,}/);
  });

  it.each(dockerfiles)(
    '$name: builds on the official Node 20 image and copies only what exists',
    ({ dockerfile }) => {
      const first = dockerfile.stages[0]?.from ?? '';
      expect(first).toMatch(/^node:(\d+)/);
      expect(Number(/^node:(\d+)/.exec(first)?.[1])).toBeGreaterThanOrEqual(20);
      expect(dockerfile.stages.length).toBeGreaterThan(1);
      for (const source of contextSources(dockerfile)) {
        expect(existsSync(join(root, source)), `${source} exists in the build context`).toBe(true);
      }
      // BuildKit's ignore file for this Dockerfile keeps host node_modules and .env out of the context.
      const ignore = readFileSync(`${dockerfile.file}.dockerignore`, 'utf8').split('\n');
      expect(ignore).toContain('**/node_modules');
      expect(ignore).toContain('**/.env');
    },
  );

  it.each(dockerfiles)('$name: copies every workspace its entry point needs', ({ dockerfile }) => {
    const workspace = /npm ci .*--workspace (@bytebot\/[\w-]+)/.exec(
      instructionsOf(dockerfile, 'RUN')
        .map((item) => item.args)
        .join('\n'),
    )?.[1];
    expect(workspace, 'npm ci --workspace names the entry workspace').toBeDefined();
    const needed = [...workspaceClosure(workspace ?? '')].sort();
    expect(needed.length).toBeGreaterThan(1);
    const copied = new Set(contextSources(dockerfile));
    expect(needed.filter((directory) => !copied.has(directory))).toEqual([]);
    // tsx runs the TypeScript and reads the root tsconfig (the agent needs its decorator settings).
    expect(copied.has('tsconfig.json')).toBe(true);
  });

  it('each workspace an image holds imports only the @bytebot packages it declares', () => {
    for (const [name, workspace] of workspaces) {
      const imported = new Set<string>();
      const visit = (directory: string) => {
        for (const entry of readdirSync(directory, { withFileTypes: true })) {
          const path = join(directory, entry.name);
          if (entry.isDirectory() && !['node_modules', '.next'].includes(entry.name)) visit(path);
          else if (/(?<!\.test)\.tsx?$/.test(entry.name)) {
            for (const match of readFileSync(path, 'utf8').matchAll(/from '(@bytebot\/[\w-]+)'/g)) {
              imported.add(match[1] ?? '');
            }
          }
        }
      };
      visit(join(root, workspace.directory));
      const undeclared = [...imported].filter(
        (used) => used !== name && !workspace.dependencies.includes(used),
      );
      expect(undeclared, `${name} imports`).toEqual([]);
    }
  });

  it('agent and UI run as a non-root user and install no Debian packages', () => {
    for (const { name, dockerfile } of dockerfiles.filter((entry) => entry.name !== 'desktop')) {
      const user = finalStage(dockerfile).instructions.findLast((item) => item.keyword === 'USER')?.args;
      expect(user, `${name}: USER in the final stage`).toBeDefined();
      expect(['root', '0']).not.toContain((user ?? 'root').split(':')[0]);
      expect(aptPackages(dockerfile), name).toEqual([]);
    }
  });

  it('desktop: Ubuntu 22.04, its packages from install-desktop.sh only, Firefox not the snap stub', () => {
    const { dockerfile } = dockerfiles.find((entry) => entry.name === 'desktop') ?? {};
    if (!dockerfile) throw new Error('no desktop Dockerfile');
    expect(finalStage(dockerfile).from).toBe('ubuntu:22.04');
    expect(startScript(dockerfile)).toBe('start:desktop');
    const runs = finalStage(dockerfile)
      .instructions.filter((item) => item.keyword === 'RUN')
      .map((item) => item.args);
    expect(runs.some((run) => run.includes('packages/desktop/scripts/install-desktop.sh'))).toBe(true);
    // The one decision made here: the only packages this file names are what adding Mozilla's APT
    // repository takes (fetching and checking its key). Everything else is in install-desktop.sh.
    const prerequisites = ['ca-certificates', 'curl', 'gnupg'];
    expect(aptPackages(dockerfile).filter((name) => !prerequisites.includes(name))).toEqual([]);
    // Ubuntu's `firefox` is a snap stub that cannot run in a container: Mozilla's repository, pinned.
    const text = dockerfile.text;
    expect(text).toContain('https://packages.mozilla.org/apt');
    expect(text).toContain('35BAA0B33E9EB396F59CA838C0BA5CE6DC6315A3');
    expect(text).toMatch(/preferences\.d\/mozilla/);
    expect(text).toMatch(/Pin: release o=Ubuntu\\nPin-Priority: -1/);
    const script = readFileSync(join(root, 'packages/desktop/scripts/install-desktop.sh'), 'utf8');
    expect(script).toMatch(/firefox-esr/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Compose files.

interface ComposeService {
  name: string;
  definition: Json;
  environment: Map<string, string>;
  /** The npm script the container runs, for services built from our Dockerfiles without a command. */
  script: string | undefined;
  /** The port it serves, undefined for a one-shot job. */
  port: number | undefined;
}

function composeEnvironment(value: unknown): Map<string, string> {
  const environment = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const entry of value) {
      const [name = '', ...rest] = String(entry).split('=');
      environment.set(name, rest.join('='));
    }
  } else {
    for (const [name, entry] of Object.entries(object(value))) environment.set(name, String(entry ?? ''));
  }
  return environment;
}

/** Compose's ${NAME}, ${NAME:-default} and ${NAME-default}, resolved as with nothing set. */
function interpolate(text: string): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

interface ComposeFile {
  file: string;
  document: Json;
  services: Map<string, ComposeService>;
  /** What does not hold: a build without its Dockerfile, an image we know nothing about. */
  problems: string[];
}

function loadCompose(file: string): ComposeFile {
  // Merge keys (`<<: *anchor`) as compose reads them: the scale-out file shares its services' parts that way.
  const document = object(parse(readFileSync(file, 'utf8'), { merge: true }));
  const services = new Map<string, ComposeService>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(object(document.services))) {
    const definition = object(value);
    const environment = composeEnvironment(definition.environment);
    let script: string | undefined;
    let port: number | undefined;
    const build = definition.build;
    if (build !== undefined) {
      const context = resolve(
        dirname(file),
        typeof build === 'string' ? build : String(object(build).context),
      );
      const dockerfile = resolve(context, String(object(build).dockerfile ?? 'Dockerfile'));
      const parsed = dockerfileByPath.get(dockerfile);
      if (!existsSync(dockerfile)) problems.push(`${name}: ${dockerfile} does not exist`);
      else if (!parsed) problems.push(`${name}: ${dockerfile} is not one of deploy/*.Dockerfile`);
      if (parsed && definition.command === undefined) {
        script = startScript(parsed);
        const server = served[script];
        port = server ? Number(environment.get(server.variable) || server.port) : undefined;
      }
    } else {
      const image = String(definition.image ?? '');
      port = wellKnownImages[image.split(':')[0] ?? ''];
      if (!image) problems.push(`${name}: neither image nor build`);
      else if (port === undefined) problems.push(`${name}: which port ${image} serves is not known here`);
    }
    services.set(name, { name, definition, environment, script, port });
  }
  return { file, document, services, problems };
}

const composeFiles = ['docker-compose.yml', 'docker-compose.standalone.yml', 'docker-compose.scale.yml'].map(
  (name) => loadCompose(join(deploy, name)),
);

/** A compose `ports` entry, short ("127.0.0.1:9992:9992") or long syntax: host IP, host port, container port. */
function publishedPort(entry: unknown): [string, string, number] {
  if (isObject(entry))
    return [String(entry.host_ip ?? ''), String(entry.published ?? ''), Number(entry.target)];
  const parts = interpolate(String(entry)).split(':');
  if (parts.length !== 3) return ['', parts.at(-2) ?? '', Number(parts.at(-1))];
  return [parts[0] ?? '', parts[1] ?? '', Number(parts[2])];
}

/** The model keys the README's configuration table names (ANTHROPIC_API_KEY, ...). */
const modelKeyNames = [
  ...new Set(readFileSync(join(root, 'README.md'), 'utf8').match(/\b[A-Z][A-Z_]*_API_KEY\b/g) ?? []),
];

const defaultPorts: Record<string, number> = {
  'http:': 80,
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
};

describe.each(composeFiles)('compose: $file', ({ services, document, problems }) => {
  const byName = (name: string): ComposeService => {
    const service = services.get(name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  };
  /** One-shot jobs: the services others wait on to complete rather than to be healthy. */
  const oneShots = new Set(
    [...services.values()].flatMap((service) =>
      Object.entries(object(service.definition.depends_on))
        .filter(([, condition]) => object(condition).condition === 'service_completed_successfully')
        .map(([target]) => target),
    ),
  );

  it('parses, and every service has an image or a build whose Dockerfile exists', () => {
    expect(services.size).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('every long-running service serves a known port and has a health check', () => {
    for (const service of services.values()) {
      if (oneShots.has(service.name)) {
        expect(service.definition.restart, `${service.name} runs once`).toBe('no');
        continue;
      }
      expect(service.port, `${service.name}: the port it serves`).toBeDefined();
      const test = list(object(service.definition.healthcheck).test).map(String);
      expect(test.length, `${service.name}: healthcheck`).toBeGreaterThan(1);
      expect(test[0]).not.toBe('NONE');
      if (service.script) expect(test.join(' ')).toContain(`:${service.port}/health`);
      // podman's Docker API (4.3) splits the arguments of an exec-form check at spaces.
      if (test[0] === 'CMD')
        expect(
          test.filter((word) => /\s/.test(word)),
          service.name,
        ).toEqual([]);
    }
  });

  it('waits for what it depends on to be healthy (or, for a one-shot job, done)', () => {
    for (const service of services.values()) {
      for (const [target, condition] of Object.entries(object(service.definition.depends_on))) {
        expect(services.has(target), `${service.name} depends on ${target}`).toBe(true);
        expect(object(condition).condition).toBe(
          oneShots.has(target) ? 'service_completed_successfully' : 'service_healthy',
        );
      }
    }
  });

  it('publishes ports on 127.0.0.1 only, each to a port the container serves', () => {
    for (const service of services.values()) {
      for (const entry of list(service.definition.ports)) {
        const [hostIp, hostPort, containerPort] = publishedPort(entry);
        expect(hostIp, `${service.name}: ${JSON.stringify(entry)} binds 127.0.0.1`).toBe('127.0.0.1');
        expect(hostPort).not.toBe('');
        expect(containerPort, `${service.name}: published port`).toBe(service.port);
      }
    }
  });

  it('points every *_URL at a service and a port that service serves', () => {
    for (const service of services.values()) {
      for (const [name, value] of service.environment) {
        if (!name.endsWith('_URL') || interpolate(value) === '') continue;
        const url = new URL(interpolate(value));
        const target = byName(url.hostname);
        const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
        expect(port, `${service.name}: ${name}=${value}`).toBe(target.port);
        const protocol = { DATABASE_URL: ['postgres:', 'postgresql:'], REDIS_URL: ['redis:'] }[name] ?? [
          'http:',
        ];
        expect(protocol).toContain(url.protocol);
      }
    }
  });

  it('desktop, agent and UI bind 0.0.0.0 and share the data directory /data', () => {
    const servers = [...services.values()].filter((service) => service.script);
    expect(servers.length).toBeGreaterThan(0);
    const volumes = new Set<string>();
    for (const service of servers) {
      expect(service.environment.get('BYTEBOT_HOST'), service.name).toBe('0.0.0.0');
      expect(service.environment.get('BYTEBOT_DATA_DIR'), service.name).toBe('/data');
      const mount = list(service.definition.volumes)
        .map(String)
        .find((volume) => volume.split(':')[1] === '/data');
      expect(mount, `${service.name}: a volume at /data`).toBeDefined();
      volumes.add(mount?.split(':')[0] ?? '');
    }
    // One volume for all: the token written there once is the one every part reads.
    expect(volumes.size).toBe(1);
    const [volume = ''] = volumes;
    expect(object(document.volumes)).toHaveProperty([volume]);
  });

  it('holds no literal key, token or password: each comes from the environment', () => {
    for (const service of services.values()) {
      for (const [name, value] of service.environment) {
        if (!secretName.test(name)) continue;
        // PostgreSQL's password may default: the database is reachable on the internal network only.
        if (name === 'POSTGRES_PASSWORD') expect(value).toMatch(/^\$\{POSTGRES_PASSWORD:-[^}]+\}$/);
        else expect(value, `${service.name}: ${name}`).toBe(`\${${name}:-}`);
      }
    }
  });
});

describe('compose: agent mode', () => {
  const compose = composeFiles[0];
  if (!compose) throw new Error('no docker-compose.yml');
  const services = compose.services;

  it('has the desktop, the agent, the UI, PostgreSQL 16 and Redis 7, and publishes only the UI', () => {
    const scripts = [...services.values()].map((service) => service.script).filter(Boolean);
    expect(scripts.sort()).toEqual(['start:agent', 'start:desktop', 'start:ui']);
    expect(String(services.get('postgres')?.definition.image)).toBe('postgres:16');
    expect(String(services.get('redis')?.definition.image)).toMatch(/^redis:7/);
    const published = [...services.values()].filter((service) => list(service.definition.ports).length > 0);
    expect(published.map((service) => service.script)).toEqual(['start:ui']);
  });

  it('gives the agent its database, queue, desktop and every model key, passed through', () => {
    const agent = [...services.values()].find((service) => service.script === 'start:agent');
    const environment = agent?.environment ?? new Map<string, string>();
    expect(new URL(interpolate(environment.get('DATABASE_URL') ?? '')).hostname).toBe('postgres');
    expect(new URL(interpolate(environment.get('REDIS_URL') ?? '')).hostname).toBe('redis');
    expect(modelKeyNames.length).toBeGreaterThan(2);
    for (const key of modelKeyNames) {
      expect(environment.get(key)).toBe(`\${${key}:-}`);
    }
    const ui = [...services.values()].find((service) => service.script === 'start:ui');
    expect(ui?.environment.get('AGENT_URL')).toBe(`http://${agent?.name}:${agent?.port}`);
  });

  it('writes the token with the same user as the agent and UI before any of them starts', () => {
    const job = [...services.values()].find((service) => service.definition.restart === 'no');
    expect(job?.definition.build).toEqual(
      [...services.values()].find((service) => service.script === 'start:agent')?.definition.build,
    );
    expect(list(job?.definition.command).join(' ')).toContain('ensureToken');
    for (const service of [...services.values()].filter((entry) => entry.script)) {
      expect(object(service.definition.depends_on)).toHaveProperty([job?.name ?? '']);
    }
  });
});

describe('compose: standalone', () => {
  it('runs the desktop and bytebotd alone, on 127.0.0.1:9990', () => {
    const services = [...(composeFiles[1]?.services.values() ?? [])];
    expect(services.map((service) => service.script)).toEqual(['start:desktop']);
    expect(list(services[0]?.definition.ports)).toEqual([`127.0.0.1:${served['start:desktop']?.port}:9990`]);
  });
});

describe('compose: scale-out', () => {
  const services = [...(composeFiles[2]?.services.values() ?? [])];
  const byScript = (script: string) => services.filter((service) => service.script === script);

  it('pairs each agent with a desktop of its own, all on one PostgreSQL and one Redis, only the UI published', () => {
    const desktops = byScript('start:desktop').map((service) => service.name);
    const agents = byScript('start:agent');
    expect(desktops.length).toBeGreaterThanOrEqual(2);
    expect(agents).toHaveLength(desktops.length);
    const driven = agents.map((agent) => new URL(agent.environment.get('BYTEBOTD_URL') ?? '').hostname);
    expect(driven.sort()).toEqual([...desktops].sort());
    for (const agent of agents) {
      expect(object(agent.definition.depends_on)).toHaveProperty([
        new URL(agent.environment.get('BYTEBOTD_URL') ?? '').hostname,
      ]);
    }
    for (const name of ['DATABASE_URL', 'REDIS_URL']) {
      expect(new Set(agents.map((agent) => agent.environment.get(name))).size, name).toBe(1);
    }
    const published = services.filter((service) => list(service.definition.ports).length > 0);
    expect(published.map((service) => service.script)).toEqual(['start:ui']);
  });

  it('wires one fleet: each agent lists its desktop under an id of its own, one token for all, the UI on one agent', () => {
    const desktops = byScript('start:desktop');
    const agents = byScript('start:agent');
    const [ui, ...otherUis] = byScript('start:ui');
    // The id GET /desktops lists the pair under: the name of the desktop service the agent drives.
    for (const agent of agents) {
      const driven = new URL(agent.environment.get('BYTEBOTD_URL') ?? '').hostname;
      expect(agent.environment.get('BYTEBOT_DESKTOP_ID'), agent.name).toBe(driven);
    }
    const ids = agents.map((agent) => agent.environment.get('BYTEBOT_DESKTOP_ID'));
    expect(new Set(ids).size).toBe(agents.length);
    // Every part reads the one token: the same variable, and the file the token job writes into the one
    // shared volume before any of them starts.
    const parts = [...desktops, ...agents, ...(ui ? [ui] : [])];
    expect(new Set(parts.map((part) => part.environment.get('BYTEBOT_TOKEN')))).toEqual(
      new Set([`\${BYTEBOT_TOKEN:-}`]),
    );
    const job = services.find((service) => service.definition.restart === 'no');
    expect(list(job?.definition.command).join(' ')).toContain('ensureToken');
    for (const part of parts)
      expect(object(part.definition.depends_on), part.name).toHaveProperty([job?.name ?? '']);
    // One UI, on one agent: any agent of the fleet answers for every task and desktop.
    expect(ui).toBeDefined();
    expect(otherUis).toEqual([]);
    const agentUrl = new URL(ui?.environment.get('AGENT_URL') ?? '');
    const uiAgent = agents.find((agent) => agent.name === agentUrl.hostname);
    expect(uiAgent, `AGENT_URL ${agentUrl}`).toBeDefined();
    expect(Number(agentUrl.port)).toBe(uiAgent?.port);
    // Its live view is the desktop that agent drives.
    expect(new URL(ui?.environment.get('BYTEBOTD_URL') ?? '').hostname).toBe(
      new URL(uiAgent?.environment.get('BYTEBOTD_URL') ?? '').hostname,
    );
  });
});

describe('compose: images made locally (docker-compose.local-images.yml)', () => {
  const override = object(parse(readFileSync(join(deploy, 'docker-compose.local-images.yml'), 'utf8')));
  const services = object(override.services);

  it('changes only the images of services both agent-mode files have', () => {
    for (const compose of [composeFiles[0], composeFiles[2]]) {
      for (const [name, value] of Object.entries(services)) {
        expect(compose?.services.has(name), `${compose?.file}: ${name}`).toBe(true);
        expect(Object.keys(object(value))).toEqual(['image']);
      }
    }
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis']);
  });

  it("every desktop builds on Ubuntu with Mozilla's Firefox unless the environment says otherwise", () => {
    for (const compose of composeFiles) {
      for (const service of compose.services.values()) {
        if (service.script !== 'start:desktop') continue;
        const args = object(object(service.definition.build).args);
        expect(interpolate(String(args.BASE_IMAGE)), `${compose.file}: ${service.name}`).toBe('ubuntu:22.04');
        expect(interpolate(String(args.FIREFOX_SOURCE))).toBe('mozilla');
      }
    }
    const { dockerfile } = dockerfiles.find((entry) => entry.name === 'desktop') ?? {};
    expect(dockerfile?.text).toMatch(/^ARG FIREFOX_SOURCE=mozilla$/m);
    expect(dockerfile?.text).toMatch(/distro\)/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Helm: a small renderer for the subset of Go templates the chart uses: {{ .Values.x }}, .Release.*,
// .Chart.*, `include`, `if`/`else if`/`else`, `range` over lists, `not`, and Helm's `quote` and
// `randAlphaNum`, with `{{-`/`-}}` trimming. A value the templates name but the values lack is an error
// (Helm would print nothing), so that a typo shows here.

type TemplateToken =
  | { type: 'text'; text: string }
  | { type: 'action'; body: string; trimLeft: boolean; trimRight: boolean };

type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: string }
  | { kind: 'if'; branches: Array<{ condition: string | undefined; body: TemplateNode[] }> }
  | { kind: 'range'; pipeline: string; body: TemplateNode[] };

function tokenizeTemplate(source: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let last = 0;
  for (const match of source.matchAll(/\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g)) {
    tokens.push({ type: 'text', text: source.slice(last, match.index) });
    tokens.push({
      type: 'action',
      body: (match[2] ?? '').trim(),
      trimLeft: Boolean(match[1]),
      trimRight: Boolean(match[3]),
    });
    last = match.index + match[0].length;
  }
  tokens.push({ type: 'text', text: source.slice(last) });
  tokens.forEach((token, index) => {
    if (token.type !== 'action') return;
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    if (token.trimLeft && before?.type === 'text') before.text = before.text.replace(/\s+$/, '');
    if (token.trimRight && after?.type === 'text') after.text = after.text.replace(/^\s+/, '');
  });
  return tokens;
}

class TemplateParser {
  private index = 0;

  constructor(
    private readonly tokens: TemplateToken[],
    private readonly defines: Map<string, TemplateNode[]>,
    private readonly file: string,
  ) {}

  parseAll(): TemplateNode[] {
    const { nodes, end } = this.parseNodes();
    if (end !== undefined) throw new Error(`${this.file}: unexpected {{ ${end} }}`);
    return nodes;
  }

  private parseNodes(): { nodes: TemplateNode[]; end: string | undefined } {
    const nodes: TemplateNode[] = [];
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index++];
      if (!token) break;
      if (token.type === 'text') {
        if (token.text) nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const body = token.body;
      if (body.startsWith('/*')) continue;
      const keyword = body.split(/\s+/, 1)[0];
      if (keyword === 'end' || keyword === 'else') return { nodes, end: body };
      if (keyword === 'if') {
        nodes.push(this.parseIf(body.slice(2).trim()));
      } else if (keyword === 'range') {
        nodes.push({ kind: 'range', pipeline: body.slice(5).trim(), body: this.parseUntilEnd('range') });
      } else if (keyword === 'define') {
        this.defines.set(JSON.parse(body.slice(6).trim()) as string, this.parseUntilEnd('define'));
      } else {
        nodes.push({ kind: 'output', pipeline: body });
      }
    }
    return { nodes, end: undefined };
  }

  private parseUntilEnd(what: string): TemplateNode[] {
    const { nodes, end } = this.parseNodes();
    if (end !== 'end')
      throw new Error(`${this.file}: {{ ${what} }} closed by ${end ?? 'the end of the file'}`);
    return nodes;
  }

  private parseIf(condition: string): TemplateNode {
    const branches: Array<{ condition: string | undefined; body: TemplateNode[] }> = [];
    let current: string | undefined = condition;
    for (;;) {
      const { nodes, end } = this.parseNodes();
      branches.push({ condition: current, body: nodes });
      if (end === 'end') break;
      if (current !== undefined && end === 'else') {
        current = undefined;
      } else if (current !== undefined && end?.startsWith('else if ')) {
        current = end.slice('else if '.length).trim();
      } else {
        throw new Error(`${this.file}: {{ if ${condition} }} closed by ${end ?? 'the end of the file'}`);
      }
    }
    return { kind: 'if', branches };
  }
}

interface Scope {
  dot: unknown;
  root: unknown;
}

class ChartRenderer {
  readonly defines = new Map<string, TemplateNode[]>();
  private readonly templates = new Map<string, TemplateNode[]>();

  constructor(directory: string) {
    for (const name of readdirSync(join(directory, 'templates')).sort()) {
      const text = readFileSync(join(directory, 'templates', name), 'utf8');
      this.templates.set(name, new TemplateParser(tokenizeTemplate(text), this.defines, name).parseAll());
    }
  }

  /** The templates Helm writes out (files starting with `_` only define). */
  outputs(): string[] {
    return [...this.templates.keys()].filter((name) => !name.startsWith('_'));
  }

  render(name: string, context: Json): string {
    const nodes = this.templates.get(name);
    if (!nodes) throw new Error(`no template ${name}`);
    return this.renderNodes(nodes, { dot: context, root: context });
  }

  private renderNodes(nodes: TemplateNode[], scope: Scope): string {
    let text = '';
    for (const node of nodes) {
      if (node.kind === 'text') {
        text += node.text;
      } else if (node.kind === 'output') {
        text += this.format(this.evaluate(node.pipeline, scope), node.pipeline);
      } else if (node.kind === 'if') {
        const branch = node.branches.find(
          (candidate) =>
            candidate.condition === undefined || truthy(this.evaluate(candidate.condition, scope)),
        );
        if (branch) text += this.renderNodes(branch.body, scope);
      } else {
        const items = this.evaluate(node.pipeline, scope) ?? [];
        if (!Array.isArray(items)) throw new Error(`range over a non-list: ${node.pipeline}`);
        for (const item of items) text += this.renderNodes(node.body, { dot: item, root: scope.root });
      }
    }
    return text;
  }

  private format(value: unknown, pipeline: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`{{ ${pipeline} }} gives ${value === undefined ? 'no value' : JSON.stringify(value)}`);
  }

  private evaluate(pipeline: string, scope: Scope): unknown {
    const commands = pipeline.split('|').map((command) => command.trim().match(/"[^"]*"|\S+/g) ?? []);
    let value: unknown;
    commands.forEach((words, index) => {
      value = this.command(words, scope, index === 0 ? [] : [value]);
    });
    return value;
  }

  private command(words: string[], scope: Scope, piped: unknown[]): unknown {
    const [head = '', ...rest] = words;
    const args = [...rest.map((word) => this.operand(word, scope)), ...piped];
    switch (head) {
      case 'include': {
        const [name, context] = args;
        const body = this.defines.get(String(name));
        if (!body) throw new Error(`include of an undefined template ${String(name)}`);
        return this.renderNodes(body, { dot: context, root: context });
      }
      case 'not':
        return !truthy(args[0]);
      case 'quote':
        if (args[0] === undefined || args[0] === null)
          throw new Error(`quote of no value: ${words.join(' ')}`);
        return JSON.stringify(String(args[0]));
      case 'randAlphaNum': {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
        return [...randomBytes(Number(args[0]))].map((byte) => alphabet[byte % alphabet.length]).join('');
      }
    }
    if (rest.length > 0 || piped.length > 0)
      throw new Error(`unsupported in this renderer: ${words.join(' ')}`);
    return this.operand(head, scope);
  }

  private operand(word: string, scope: Scope): unknown {
    if (word.startsWith('"')) return JSON.parse(word);
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word === '.') return scope.dot;
    if (word === '$') return scope.root;
    const [base, path] = word.startsWith('$.') ? [scope.root, word.slice(2)] : [scope.dot, word.slice(1)];
    if (!word.startsWith('.') && !word.startsWith('$.')) throw new Error(`unsupported operand ${word}`);
    return path.split('.').reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), base);
  }
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Json;
  stringData?: Record<string, string> | null;
}

const chart = object(parse(readFileSync(join(chartDirectory, 'Chart.yaml'), 'utf8')));
const defaultValues = object(parse(readFileSync(join(chartDirectory, 'values.yaml'), 'utf8')));
const renderer = new ChartRenderer(chartDirectory);
const release = 'bytebot';

interface RenderedChart {
  values: Json;
  resources: Resource[];
  notes: string;
  /** Documents that do not parse or lack apiVersion, kind or metadata.name. */
  problems: string[];
}

function renderChart(overrides: Json): RenderedChart {
  const values = object(deepMerge(defaultValues, overrides));
  const context = {
    Values: values,
    Release: { Name: release, Namespace: 'default', Service: 'Helm' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const resources: Resource[] = [];
  const problems: string[] = [];
  let notes = '';
  for (const name of renderer.outputs()) {
    let text: string;
    try {
      text = renderer.render(name, context);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    if (name === 'NOTES.txt') {
      notes = text;
      continue;
    }
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) {
        problems.push(`${name}: ${document.errors.map(String).join('; ')}`);
        continue;
      }
      const resource = document.toJS() as Resource | null;
      if (resource === null) continue;
      const complete =
        typeof resource.apiVersion === 'string' &&
        typeof resource.kind === 'string' &&
        /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(resource.metadata?.name));
      if (complete) resources.push(resource);
      else problems.push(`${name}: a document without apiVersion, kind or a valid metadata.name`);
    }
  }
  return { values, resources, notes, problems };
}

interface Container {
  name: string;
  image: string;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
  }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
}

function podSpec(
  resource: Resource,
): { labels: Record<string, string>; containers: Container[] } | undefined {
  const template = object(resource.spec?.template);
  if (!isObject(template.spec)) return undefined;
  return {
    labels: object(object(template.metadata).labels) as Record<string, string>,
    containers: list(template.spec.containers) as Container[],
  };
}

function environmentVariable(container: Container, name: string) {
  return container.env?.find((variable) => variable.name === name);
}

const scenarios: Array<{ title: string; overrides: Json }> = [
  { title: 'the default values', overrides: {} },
  {
    title: 'replicas 3, external PostgreSQL and Redis, keys in the values',
    overrides: {
      replicas: 3,
      token: 'a-token-chosen-for-this-test',
      modelKeys: { anthropicApiKey: 'not-a-real-key' },
      agent: { env: [{ name: 'ANTHROPIC_MODEL', value: 'claude-test' }] },
      postgresql: { enabled: false, externalUrl: 'postgresql://bytebot:pw@db.example.com:5432/bytebot' },
      redis: { enabled: false, externalUrl: 'redis://:pw@cache.example.com:6379' },
    },
  },
  {
    title: 'replicas 3, external PostgreSQL and Redis, an existing secret',
    overrides: {
      replicas: 3,
      existingSecret: 'bytebot-keys',
      postgresql: { enabled: false },
      redis: { enabled: false },
    },
  },
];

describe('Helm chart', () => {
  it('is a v2 chart whose default values hold no key, token or password', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'bytebot' });
    expect(defaultValues.token).toBe('');
    expect(defaultValues.uiPassword).toBe('');
    expect(Object.values(object(defaultValues.modelKeys)).every((value) => value === '')).toBe(true);
  });

  it('can hold every model key the README names', () => {
    const template = readFileSync(join(chartDirectory, 'templates/secret.yaml'), 'utf8');
    for (const key of modelKeyNames) expect(template, key).toContain(`  ${key}: {{`);
  });

  describe.each(scenarios)('rendered with $title', ({ overrides }) => {
    const { values, resources, notes, problems } = renderChart(overrides);
    const find = (kind: string, name: string) =>
      resources.find((resource) => resource.kind === kind && resource.metadata.name === name);
    const workloads = resources.filter((resource) => podSpec(resource) !== undefined);
    const secrets = new Set(
      resources.filter((resource) => resource.kind === 'Secret').map((r) => r.metadata.name),
    );
    const existingSecret = String(values.existingSecret ?? '');
    const pairs = find('StatefulSet', `${release}-desktop`);

    it('renders every template to YAML documents with apiVersion, kind and metadata.name', () => {
      expect(problems).toEqual([]);
      expect(resources.length).toBeGreaterThan(5);
    });

    it('gives each resource a unique kind and name, and renders NOTES.txt', () => {
      const names = resources.map((resource) => `${resource.kind}/${resource.metadata.name}`);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(
        expect.arrayContaining([
          `StatefulSet/${release}-desktop`,
          `Service/${release}-agent`,
          `Deployment/${release}-ui`,
          `Service/${release}-ui`,
          `Secret/${release}-generated`,
        ]),
      );
      expect(notes).toContain(`service/${release}-ui`);
    });

    it('runs one desktop+agent pair per replica, the agent using the desktop beside it', () => {
      expect(pairs?.spec?.replicas).toBe(values.replicas);
      const containers = (pairs && podSpec(pairs)?.containers) ?? [];
      expect(containers.map((container) => container.name).sort()).toEqual(['agent', 'desktop']);
      const agent = containers.find((container) => container.name === 'agent');
      expect(agent?.image).toBe(object(values.agent).image);
      expect(environmentVariable(agent as Container, 'BYTEBOTD_URL')?.value).toBe(
        `http://127.0.0.1:${served['start:desktop']?.port}`,
      );
    });

    it('wires one fleet: each pod lists its desktop under its own name, one token for all, the UI on one agent URL', () => {
      const spec = pairs && podSpec(pairs);
      const agent = spec?.containers.find((container) => container.name === 'agent') as Container;
      const desktop = spec?.containers.find((container) => container.name === 'desktop') as Container;
      // A StatefulSet's pods are named <name>-0, -1, ...: distinct, and the same when a pod is replaced.
      expect(environmentVariable(agent, 'BYTEBOT_DESKTOP_ID')?.valueFrom?.fieldRef).toEqual({
        fieldPath: 'metadata.name',
      });
      expect(pairs?.kind).toBe('StatefulSet');
      // The other agents reach this pod's bytebotd at the pod's own address, not at its loopback.
      const address = environmentVariable(agent, 'BYTEBOT_DESKTOP_URL')?.value;
      expect(address).toBe(
        `http://$(BYTEBOT_DESKTOP_ID).${pairs?.spec?.serviceName}:${desktop.ports?.find((port) => port.name === 'bytebotd')?.containerPort}`,
      );
      // Every pod renders from this one template: one database, one queue, one token for every pair.
      for (const name of ['DATABASE_URL', 'REDIS_URL']) {
        const variable = environmentVariable(agent, name);
        expect(variable?.valueFrom?.fieldRef, name).toBeUndefined();
      }
      expect(environmentVariable(desktop, 'BYTEBOT_TOKEN')?.valueFrom).toEqual(
        environmentVariable(agent, 'BYTEBOT_TOKEN')?.valueFrom,
      );
      // One UI with one agent URL, which reaches the pairs' agent containers.
      const uis = workloads.flatMap((resource) =>
        (podSpec(resource)?.containers ?? []).filter((container) => container.name === 'ui'),
      );
      expect(uis).toHaveLength(1);
      const agentUrls = (uis[0]?.env ?? []).filter((variable) => variable.name === 'AGENT_URL');
      expect(agentUrls).toHaveLength(1);
      const url = new URL(agentUrls[0]?.value ?? '');
      const service = find('Service', url.hostname.split('.')[0] as string);
      const podAddress = /^(.+)-(\d+)\.([^.]+)$/.exec(url.hostname);
      if (podAddress) expect(podAddress[1]).toBe(pairs?.metadata.name);
      else {
        const selector = object(service?.spec?.selector) as Record<string, string>;
        const labels = (pairs && podSpec(pairs)?.labels) ?? {};
        expect(Object.entries(selector).every(([key, value]) => labels[key] === value)).toBe(true);
        const port = (list(service?.spec?.ports) as Array<{ port: number; targetPort: string }>).find(
          (candidate) => candidate.port === Number(url.port),
        );
        expect(agent.ports?.find((candidate) => candidate.name === port?.targetPort)).toBeDefined();
      }
    });

    it('gives every agent container DATABASE_URL and REDIS_URL, from bundled services or secrets', () => {
      const agents = workloads
        .flatMap((resource) => podSpec(resource)?.containers ?? [])
        .filter((container) => container.image === object(values.agent).image);
      expect(agents.length).toBeGreaterThan(0);
      for (const agent of agents) {
        for (const [name, service] of [
          ['DATABASE_URL', 'postgresql'],
          ['REDIS_URL', 'redis'],
        ] as const) {
          const variable = environmentVariable(agent, name);
          expect(variable, name).toBeDefined();
          if (object(values[service]).enabled) {
            expect(variable?.value).toContain(`@${release}-${service}:`);
            expect(find('StatefulSet', `${release}-${service}`)).toBeDefined();
          } else {
            expect(variable?.valueFrom?.secretKeyRef).toEqual({
              name: existingSecret || `${release}-secrets`,
              key: name,
            });
            expect(find('StatefulSet', `${release}-${service}`)).toBeUndefined();
            if (!existingSecret) {
              expect(find('Secret', `${release}-secrets`)?.stringData?.[name]).toBe(
                object(values[service]).externalUrl,
              );
            }
          }
        }
      }
    });

    it('binds every server to 0.0.0.0 and gives the token to every part, model keys to agents only', () => {
      const containers = workloads.flatMap((resource) => podSpec(resource)?.containers ?? []);
      const ours = containers.filter((container) => ['desktop', 'agent', 'ui'].includes(container.name));
      expect(ours).toHaveLength(3);
      for (const container of ours) {
        expect(environmentVariable(container, 'BYTEBOT_HOST')?.value, container.name).toBe('0.0.0.0');
        const token = environmentVariable(container, 'BYTEBOT_TOKEN')?.valueFrom?.secretKeyRef;
        const expected = existingSecret || (values.token ? `${release}-secrets` : `${release}-generated`);
        expect(token, container.name).toEqual({ name: expected, key: 'BYTEBOT_TOKEN' });
        if (container.name !== 'agent') expect(container.envFrom, container.name).toBeUndefined();
      }
      const agent = ours.find((container) => container.name === 'agent');
      expect(agent?.envFrom).toEqual([{ secretRef: { name: existingSecret || `${release}-secrets` } }]);
      const modelKey = object(values.modelKeys).anthropicApiKey;
      if (modelKey && !existingSecret) {
        expect(find('Secret', `${release}-secrets`)?.stringData?.ANTHROPIC_API_KEY).toBe(modelKey);
      }
      if (existingSecret) expect(secrets.has(`${release}-secrets`)).toBe(false);
    });

    it('refers only to Secrets it renders (or the existing one), and to keys they hold', () => {
      for (const resource of workloads) {
        for (const container of podSpec(resource)?.containers ?? []) {
          for (const reference of container.envFrom ?? []) {
            const name = reference.secretRef?.name ?? '';
            expect(secrets.has(name) || name === existingSecret, `${container.name}: ${name}`).toBe(true);
          }
          for (const variable of container.env ?? []) {
            const reference = variable.valueFrom?.secretKeyRef;
            if (!reference) continue;
            if (reference.name === existingSecret) continue;
            expect(secrets.has(reference.name), `${container.name}: ${reference.name}`).toBe(true);
            expect(find('Secret', reference.name)?.stringData ?? {}).toHaveProperty([reference.key]);
          }
        }
      }
      // Made once at install, so that upgrades keep the token and the database's password.
      expect(find('Secret', `${release}-generated`)?.metadata.annotations?.['helm.sh/hook']).toBe(
        'pre-install',
      );
    });

    it('points every Service at pods and ports that exist, and every *_URL at a Service port', () => {
      const services = resources.filter((resource) => resource.kind === 'Service');
      for (const service of services) {
        const selector = object(service.spec?.selector) as Record<string, string>;
        const selected = workloads.filter((resource) => {
          const labels = podSpec(resource)?.labels ?? {};
          return Object.entries(selector).every(([key, value]) => labels[key] === value);
        });
        expect(selected.length, `Service ${service.metadata.name} selects pods`).toBeGreaterThan(0);
        for (const port of list(service.spec?.ports) as Array<{
          port: number;
          targetPort: string | number;
        }>) {
          const containerPorts = selected.flatMap((resource) =>
            (podSpec(resource)?.containers ?? []).flatMap((container) => container.ports ?? []),
          );
          const target = containerPorts.find((candidate) =>
            typeof port.targetPort === 'string'
              ? candidate.name === port.targetPort
              : candidate.containerPort === port.targetPort,
          );
          expect(target?.containerPort, `${service.metadata.name}:${port.port}`).toBe(port.port);
        }
      }
      const servicePorts = (name: string) =>
        (
          list(services.find((service) => service.metadata.name === name)?.spec?.ports) as Array<{
            port: number;
          }>
        ).map((port) => port.port);
      for (const resource of workloads) {
        const containers = podSpec(resource)?.containers ?? [];
        for (const container of containers) {
          for (const variable of container.env ?? []) {
            if (!variable.name.endsWith('_URL') || variable.value === undefined) continue;
            // $(NAME) is another variable of the container: the pod's name (pod 0's here), or a password.
            const resolved = variable.value.replace(/\$\((\w+)\)/g, (_, name: string) =>
              environmentVariable(container, name)?.valueFrom?.fieldRef?.fieldPath === 'metadata.name'
                ? `${resource.metadata.name}-0`
                : 'x',
            );
            const url = new URL(resolved);
            const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
            const podAddress = /^(.+)-(\d+)\.([^.]+)$/.exec(url.hostname);
            if (url.hostname === '127.0.0.1') {
              const local = containers
                .flatMap((candidate) => candidate.ports ?? [])
                .map((p) => p.containerPort);
              expect(local, `${container.name}: ${variable.name}`).toContain(port);
            } else if (podAddress) {
              const [, statefulSet = '', ordinal = '', service = ''] = podAddress;
              const target = find('StatefulSet', statefulSet);
              expect(target?.spec?.serviceName, variable.name).toBe(service);
              expect(Number(ordinal)).toBeLessThan(Number(target?.spec?.replicas));
              expect(servicePorts(service), `${container.name}: ${variable.name}`).toContain(port);
            } else {
              expect(servicePorts(url.hostname), `${container.name}: ${variable.name}`).toContain(port);
            }
          }
        }
      }
    });
  });

  const helm = spawnSync('helm', ['version'], { encoding: 'utf8' });
  it.skipIf(helm.error !== undefined)('renders the same resources with `helm template`', () => {
    for (const { overrides } of scenarios) {
      const settings = Object.entries(flatten(overrides)).flatMap(([key, value]) => [
        '--set-json',
        `${key}=${value}`,
      ]);
      const result = spawnSync('helm', ['template', release, chartDirectory, ...settings], {
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const documents = parseAllDocuments(result.stdout)
        .map((document) => document.toJS() as Resource | null)
        .filter((resource): resource is Resource => resource !== null);
      const names = (resources: Resource[]) =>
        resources.map((resource) => `${resource.kind}/${resource.metadata.name}`).sort();
      expect(names(documents)).toEqual(names(renderChart(overrides).resources));
    }
  });
});

/** {a: {b: 1}} -> {'a.b': '1'} (JSON values), for `helm --set-json`. */
function flatten(value: Json, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (isObject(entry)) Object.assign(flat, flatten(entry, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = JSON.stringify(entry);
  }
  return flat;
}
