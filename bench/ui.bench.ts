import type { TaskPriority } from '@bytebot/protocol';
import type { Page } from 'playwright-core';
import { startUiStack } from '../tests/support/ui-stack.ts';

/**
 * The UI with 500 tasks stored (made through the agent's API): how long the Tasks page and the home page
 * take to show their lists in Chromium, from navigation to the rows on screen (the Tasks page also waits
 * for its counts), and the two calls the Tasks page makes. Needs `npm run build:ui` first.
 */
const taskCount = 500;
const rounds = 7;
const priorities: TaskPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
/** Scheduled a year ahead: the tasks stay stored and waiting, and the scripted model is never asked. */
const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();

function median(values: number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeLoad(page: Page, url: string, ready: (page: Page) => Promise<void>): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await ready(page);
  return performance.now() - started;
}

// No limit on new tasks: 500 are made in a row.
const stack = await startUiStack({
  desktop: { session: 'none' },
  agentEnvironment: { BYTEBOT_RATE_LIMIT_TASKS: '0' },
});
try {
  const { client } = stack.fixture;
  const made = performance.now();
  for (let index = 0; index < taskCount; index += 1) {
    const task = await client.createTask({
      description: `Stored task ${index}: rename the files of folder ${index % 37} by their date`,
      priority: priorities[index % priorities.length] as TaskPriority,
      type: 'SCHEDULED',
      scheduledFor: nextYear,
    });
    if (index % 3 === 0) await client.cancel(task.id);
  }
  const makingSeconds = (performance.now() - made) / 1000;

  const page = await stack.context.newPage();
  const tasksPage = async (candidate: Page) => {
    await candidate.locator('.task-row').first().waitFor();
    await candidate.waitForFunction(
      () => document.querySelector('[data-count="all"]')?.textContent === String(500),
    );
  };
  const homePage = async (candidate: Page) => {
    await candidate.locator('.task-row').first().waitFor();
  };
  // One round each first, unmeasured: Next.js compiles nothing, but the first load fills caches.
  await timeLoad(page, `${stack.ui.url}/tasks`, tasksPage);
  await timeLoad(page, stack.ui.url, homePage);
  const tasksTimes: number[] = [];
  const searchTimes: number[] = [];
  const homeTimes: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    tasksTimes.push(await timeLoad(page, `${stack.ui.url}/tasks`, tasksPage));
    searchTimes.push(
      await timeLoad(
        page,
        `${stack.ui.url}/tasks?search=folder%2012&sort=priority&tab=ended`,
        async (candidate) => {
          await candidate.locator('.task-row').first().waitFor();
        },
      ),
    );
    homeTimes.push(await timeLoad(page, stack.ui.url, homePage));
  }
  const listTimes: number[] = [];
  const countTimes: number[] = [];
  for (let round = 0; round < 20; round += 1) {
    let started = performance.now();
    await client.listTasks({ limit: 20, sort: 'priority', search: 'folder 1' });
    listTimes.push(performance.now() - started);
    started = performance.now();
    await client.countTasks({ search: 'folder 1' });
    countTimes.push(performance.now() - started);
  }

  console.log(`\nUI with ${taskCount} tasks stored (PGlite), Chromium headless, median of ${rounds} loads`);
  console.log(`  ${taskCount} tasks made through the API in ${makingSeconds.toFixed(1)} s`);
  console.log(`  Tasks page, to its rows and counts:       ${median(tasksTimes).toFixed(0)} ms`);
  console.log(`  Tasks page, searched and sorted by priority: ${median(searchTimes).toFixed(0)} ms`);
  console.log(`  home page, to its recent tasks:          ${median(homeTimes).toFixed(0)} ms`);
  console.log(
    `  agent API, median of 20: GET /tasks?search=&sort=priority ${median(listTimes).toFixed(1)} ms, ` +
      `GET /tasks/counts?search= ${median(countTimes).toFixed(1)} ms`,
  );
} finally {
  await stack.stop();
}
process.exit(0);
