import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { BytebotdClient } from '@bytebot/client';
import { finishedTaskStatuses } from '@bytebot/protocol';
import { type AgentFixture, startAgentFixture, startScriptedModel } from '../tests/support/agent-fixture.ts';
import { gate } from '../tests/support/gate.ts';
import {
  cpuSeconds,
  machineCpu,
  machineMemory,
  memoryByName,
  memoryOf,
  processesOnDisplay,
  processTable,
  withDescendants,
} from '../tests/support/process-memory.ts';
import { type RecordedRequest, reply, type ScriptStep } from '../tests/support/scripted-anthropic-server.ts';
import { createTestDatabase } from '../tests/support/test-database.ts';
import { startTestDesktop, type TestDesktop } from '../tests/support/test-desktop.ts';

/**
 * The fleet on one machine: what a desktop+agent pair costs in memory (idle, and with Firefox open), how
 * many pairs this machine holds by that figure, how many tasks a minute 1, 2 and 4 pairs finish on a
 * scripted model (and where the CPU time goes), and how long a task waits after its agent is killed
 * until another desktop runs it. Every pair runs as in a fleet: PostgreSQL and Redis, as `npm start --
 * --desktops N`, the compose scale-out file and the Helm chart run them.
 *
 *   node --import tsx bench/fleet.bench.ts
 */
const tasksPerRun = 12;
const pairCounts = [1, 2, 4];
/** The model's time per answer: none (the fleet's own cost), and 1 s (a fast real model is 2 to 5 s). */
const thinkTimes = [0, 1000];
const failoverRounds = 3;
/** What a machine needs beside the pairs: the system, PostgreSQL, Redis, the UI. */
const reserveMb = 2048;
/** The fleet test's settings: a dead agent's task moves within seconds instead of a minute. */
const shortSettings = {
  BYTEBOT_HEARTBEAT_MS: '500',
  BYTEBOT_DESKTOP_DOWN_AFTER_MS: '3000',
  BYTEBOT_QUEUE_LOCK_MS: '3000',
  BYTEBOT_QUEUE_STALLED_CHECK_MS: '1000',
};
const defaultLockMs = 60_000;
const defaultStalledCheckMs = 30_000;
const defaultDownAfterMs = 30_000;

const sleep = (milliseconds: number) =>
  new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));
const median = (values: number[]) =>
  [...values].sort((first, second) => first - second)[Math.floor(values.length / 2)] ?? Number.NaN;
const mb = (kb: number) => Math.round(kb / 1024);

const assistantTurns = (request: RecordedRequest) =>
  request.body.messages.filter((message) => message.role === 'assistant').length;
const description = (request: RecordedRequest) =>
  (request.body.messages[0]?.content[0] as { text?: string } | undefined)?.text ?? '';
const toldItMoved = (request: RecordedRequest) =>
  JSON.stringify(request.body.messages.at(-1)?.content ?? []).includes('This task moved from desktop');

/** Every process of one pair: the desktop's programs and what they started, bytebotd, the agent. */
function pairProcesses(desktop: TestDesktop, agentPid?: number): Set<number> {
  const table = processTable();
  const roots = desktop.desktop
    .processes()
    .map((program) => program.pid)
    .filter((pid): pid is number => pid !== undefined);
  const pids = withDescendants([...roots, desktop.bytebotd.pid, ...(agentPid ? [agentPid] : [])], table);
  for (const pid of processesOnDisplay(desktop.desktop.display, table)) pids.add(pid);
  // The desktop's supervisor runs in this process here (in `npm start`, in the desktop's own Node process).
  pids.delete(process.pid);
  return pids;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const model = await startScriptedModel('anthropic');
  let thinkMs = 0;
  /** Steps of the failover rounds, by a key in the task's description. */
  const special = new Map<string, ScriptStep>();
  // The short task: a screenshot, a sentence typed, done.
  const ordinary: ScriptStep = async (request) => {
    if (thinkMs > 0) await sleep(thinkMs);
    const turns = assistantTurns(request);
    if (turns === 0) return reply.computer({ action: 'screenshot' })(request);
    if (turns === 1) return reply.computer({ action: 'type', text: 'hello from the fleet' })(request);
    return reply.tool('set_task_status', { status: 'completed', description: 'typed it' })(request);
  };
  model.play(
    Array.from({ length: 20_000 }, () => (request: RecordedRequest) => {
      for (const [key, step] of special) if (description(request).includes(key)) return step(request);
      return ordinary(request);
    }),
  );
  const fleetEnvironment = (queue: string, desktopId: string, more: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    REDIS_URL: 'redis://127.0.0.1:6379',
    BYTEBOT_QUEUE_NAME: queue,
    BYTEBOT_DESKTOP_ID: desktopId,
    ...more,
  });
  const cores = availableParallelism();
  const memory = machineMemory();
  console.log(`fleet on one machine: ${cores} cores, ${mb(memory.totalKb)} MB of memory`);

  const desktops: TestDesktop[] = [];
  try {
    // ---- Memory of one pair.
    const first = await startTestDesktop({ session: 'xfce', vnc: true });
    desktops.push(first);
    const single = await startAgentFixture({
      desktop: first,
      scriptedModel: model,
      environment: fleetEnvironment(`bench-fleet-${randomUUID()}`, 'desktop-1'),
    });
    // Idle: XFCE has finished starting, the agent has sent a few heartbeats.
    await sleep(15_000);
    const idlePids = pairProcesses(first, single.agent.pid);
    const idle = memoryOf(idlePids);
    const desktopPrograms = [...idlePids].filter(
      (pid) => pid !== first.bytebotd.pid && pid !== single.agent.pid,
    );
    const roles = [
      ['Xvfb, XFCE and x11vnc', memoryOf(desktopPrograms)],
      ['bytebotd', memoryOf([first.bytebotd.pid])],
      ['agent', memoryOf([single.agent.pid])],
    ] as const;
    const largest = memoryByName(desktopPrograms)
      .slice(0, 6)
      .map(([name, kb]) => `${name} ${mb(kb)}`)
      .join(', ');
    const bytebotd = new BytebotdClient({ baseUrl: first.bytebotd.url, token: first.bytebotd.token });
    await bytebotd.application('firefox');
    await sleep(15_000);
    const withFirefox = memoryOf(pairProcesses(first, single.agent.pid));
    await single.stop();
    // The throughput runs start from fresh desktops, without Firefox.
    await first.stop();
    desktops.pop();
    console.log('\nmemory of one pair (Xvfb, XFCE session, x11vnc, bytebotd, agent)');
    console.log(
      `  idle:          RSS ${mb(idle.rssKb)} MB, PSS ${mb(idle.pssKb)} MB over ${idle.processes} processes`,
    );
    for (const [role, figures] of roles) {
      console.log(`    ${role}: RSS ${mb(figures.rssKb)} MB, PSS ${mb(figures.pssKb)} MB`);
    }
    console.log(`    the desktop's largest programs (RSS MB): ${largest}`);
    console.log(
      `  Firefox open:  RSS ${mb(withFirefox.rssKb)} MB, PSS ${mb(withFirefox.pssKb)} MB over ${withFirefox.processes} processes`,
    );
    const room = mb(memory.totalKb) - reserveMb;
    const pairsFitting = (kb: number) => Math.floor(room / mb(kb));
    console.log(
      `  pairs that fit in ${mb(memory.totalKb)} MB less ${reserveMb} MB for the rest: ${pairsFitting(idle.pssKb)} idle (by PSS; ${pairsFitting(idle.rssKb)} by RSS), ${pairsFitting(withFirefox.pssKb)} each with Firefox open (${pairsFitting(withFirefox.rssKb)} by RSS)`,
    );

    // ---- Tasks a minute with 1, 2 and 4 pairs.
    while (desktops.length < Math.max(...pairCounts))
      desktops.push(await startTestDesktop({ session: 'xfce' }));
    console.log(
      `\ntasks a minute on a scripted model (${tasksPerRun} tasks of screenshot, type, done, made at once through agent 1)`,
    );
    for (const think of thinkTimes) {
      thinkMs = think;
      for (const count of pairCounts) {
        const queue = `bench-fleet-${randomUUID()}`;
        const pairs = await Promise.all(
          desktops.slice(0, count).map((desktop, index) =>
            startAgentFixture({
              desktop,
              scriptedModel: model,
              environment: fleetEnvironment(queue, `desktop-${index + 1}`),
            }),
          ),
        );
        try {
          await sleep(2_000);
          const table = processTable();
          const groups: Record<string, Set<number>> = {
            agents: new Set(pairs.map((pair) => pair.agent.pid)),
            bytebotd: new Set(desktops.slice(0, count).map((desktop) => desktop.bytebotd.pid)),
            'X and XFCE': new Set(
              desktops.slice(0, count).flatMap((desktop) => [
                ...processesOnDisplay(desktop.desktop.display, table),
                ...desktop.desktop
                  .processes()
                  .map((program) => program.pid)
                  .filter((pid): pid is number => pid !== undefined),
              ]),
            ),
            PostgreSQL: new Set(
              table.filter((entry) => entry.name.startsWith('postgres')).map((entry) => entry.pid),
            ),
            Redis: new Set(table.filter((entry) => entry.name.startsWith('redis')).map((entry) => entry.pid)),
            'scripted model (this process)': new Set([process.pid]),
          };
          for (const pid of groups.bytebotd ?? []) groups['X and XFCE']?.delete(pid);
          const cpuBefore = Object.fromEntries(
            Object.entries(groups).map(([name, pids]) => [name, cpuSeconds(pids)]),
          );
          const machineBefore = machineCpu();
          const started = performance.now();
          const client = (pairs[0] as AgentFixture).client;
          const ids: string[] = [];
          for (let index = 0; index < tasksPerRun; index += 1) {
            ids.push((await client.createTask({ description: `fleet bench ${count} ${index}` })).id);
          }
          const finished = [];
          for (const id of ids) {
            finished.push(
              await client.waitForTask(id, finishedTaskStatuses, { timeoutMs: 600_000, intervalMs: 100 }),
            );
          }
          const seconds = (performance.now() - started) / 1000;
          const machineAfter = machineCpu();
          const busy =
            (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total || 1);
          const spent = Object.entries(groups)
            .map(([name, pids]) => [name, cpuSeconds(pids) - (cpuBefore[name] ?? 0)] as const)
            .sort((first, second) => second[1] - first[1]);
          const ours = spent.reduce((sum, [, value]) => sum + value, 0) / seconds;
          const failed = finished.filter((task) => task.status !== 'COMPLETED').length;
          const perDesktop = new Map<string, number>();
          for (const task of finished) {
            perDesktop.set(String(task.desktopId), (perDesktop.get(String(task.desktopId)) ?? 0) + 1);
          }
          console.log(
            `  ${count} pair${count > 1 ? 's' : ' '}, model ${think === 0 ? 'instant' : `${think / 1000} s`}: ${((tasksPerRun / seconds) * 60).toFixed(1)} tasks/min (${seconds.toFixed(1)} s for ${tasksPerRun}${failed ? `, ${failed} not completed` : ''}); per desktop ${[...perDesktop.values()].join('/')}; the fleet used ${ours.toFixed(2)} of ${cores} cores, the machine ${(busy * cores).toFixed(2)}`,
          );
          console.log(
            `      CPU seconds: ${spent.map(([name, value]) => `${name} ${value.toFixed(1)}`).join(', ')}`,
          );
        } finally {
          for (const pair of pairs) await pair.stop();
        }
      }
    }

    // ---- A dead agent's task, running again on another desktop.
    thinkMs = 0;
    const queue = `bench-fleet-${randomUUID()}`;
    const startPair = (index: number) =>
      startAgentFixture({
        desktop: desktops[index] as TestDesktop,
        scriptedModel: model,
        environment: fleetEnvironment(queue, `desktop-${index + 1}`, shortSettings),
      });
    const pairs = [await startPair(0), await startPair(1)];
    const moves: number[] = [];
    const downs: number[] = [];
    try {
      for (let round = 1; round <= failoverRounds; round += 1) {
        const key = `failover ${round} ${randomUUID()}`;
        const holding = gate();
        let movedAt: number | undefined;
        special.set(key, (request) => {
          if (toldItMoved(request)) {
            movedAt ??= performance.now();
            return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
          }
          if (assistantTurns(request) === 0) return reply.computer({ action: 'screenshot' })(request);
          return holding.step(reply.computer({ action: 'screenshot' }))(request);
        });
        const client = (pairs[0] as AgentFixture).client;
        const created = await client.createTask({ description: key });
        await holding.reached;
        const desktopId = (await client.getTask(created.id)).desktopId;
        const victim = desktopId === 'desktop-1' ? 0 : 1;
        const survivor = pairs[1 - victim] as AgentFixture;
        const killedAt = performance.now();
        await (pairs[victim] as AgentFixture).agent.stop('SIGKILL');
        holding.release();
        let downAt: number | undefined;
        const watchDown = (async () => {
          while (downAt === undefined && performance.now() - killedAt < 60_000) {
            const { desktops: listed } = await survivor.client.desktops();
            if (listed.find((desktop) => desktop.id === desktopId)?.state === 'down')
              downAt = performance.now();
            else await sleep(100);
          }
        })();
        const done = await survivor.client.waitForTask(created.id, finishedTaskStatuses, {
          timeoutMs: 120_000,
          intervalMs: 100,
        });
        await watchDown;
        if (done.status !== 'COMPLETED' || movedAt === undefined) {
          console.log(`  round ${round}: the task ended ${done.status} without moving`);
        } else {
          moves.push((movedAt - killedAt) / 1000);
          if (downAt !== undefined) downs.push((downAt - killedAt) / 1000);
        }
        special.delete(key);
        pairs[victim] = await startPair(victim);
      }
    } finally {
      for (const pair of pairs) await pair.stop();
    }
    const lockS = Number(shortSettings.BYTEBOT_QUEUE_LOCK_MS) / 1000;
    const checkS = Number(shortSettings.BYTEBOT_QUEUE_STALLED_CHECK_MS) / 1000;
    const overhead = median(moves) - (lockS * 0.75 + checkS / 2);
    console.log(
      `\nkill -9 of the agent running a task, until the task's next step runs on the other desktop (${moves.length} rounds)`,
    );
    console.log(
      `  short settings (lock ${lockS} s, stalled check ${checkS} s, heartbeat ${Number(shortSettings.BYTEBOT_HEARTBEAT_MS) / 1000} s, down after ${Number(shortSettings.BYTEBOT_DESKTOP_DOWN_AFTER_MS) / 1000} s): median ${median(moves).toFixed(1)} s (${moves.map((value) => value.toFixed(1)).join(', ')}); listed down after ${median(downs).toFixed(1)} s`,
    );
    // BullMQ renews a lock every half of its duration, so a dead consumer's lock runs out between half and
    // all of it after the death; the next stalled check (every interval) then hands the task over.
    console.log(
      `  defaults (lock ${defaultLockMs / 1000} s, stalled check ${defaultStalledCheckMs / 1000} s): expected ${defaultLockMs / 2000}-${(defaultLockMs + defaultStalledCheckMs) / 1000} s, about ${Math.round((defaultLockMs * 0.75 + defaultStalledCheckMs / 2) / 1000 + Math.max(0, overhead))} s on average; listed down after ${defaultDownAfterMs / 1000} s (BYTEBOT_DESKTOP_DOWN_AFTER_MS)`,
    );
  } finally {
    for (const desktop of desktops) await desktop.stop().catch(() => undefined);
    await model.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
