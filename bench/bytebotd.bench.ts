import { randomUUID } from 'node:crypto';
import type { BytebotdClient } from '@bytebot/client';
import { launchAsDesktopUser, waitForWindow } from '../tests/support/desktop-programs.ts';
import { startTestDesktop } from '../tests/support/test-desktop.ts';

/**
 * `npm run bench`: medians and p95 of bytebotd calls over HTTP on loopback, at 1280x960, on an XFCE
 * desktop with a text editor open (a realistic screen for PNG encoding). Prints figures; asserts nothing
 * about time, only that typed text arrived exactly.
 */
const iterations = Number(process.env.BENCH_ITERATIONS ?? 60);

interface Figure {
  name: string;
  median: number;
  p95: number;
  count: number;
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

async function measure(
  name: string,
  call: (round: number) => Promise<unknown>,
  count = iterations,
): Promise<Figure> {
  for (let round = 0; round < 3; round += 1) await call(-1 - round);
  const times: number[] = [];
  for (let round = 0; round < count; round += 1) {
    const started = performance.now();
    await call(round);
    times.push(performance.now() - started);
  }
  times.sort((first, second) => first - second);
  return { name, median: percentile(times, 0.5), p95: percentile(times, 0.95), count };
}

/**
 * A cancel as bytebotd sees it: from the caller's abort of a long type_text (a key every 20 ms) to the next
 * input action done. That action waits in bytebotd's input queue until the typing has stopped.
 */
async function abortToNextInput(client: BytebotdClient, count: number): Promise<Figure> {
  const times: number[] = [];
  for (let round = 0; round < count; round += 1) {
    const controller = new AbortController();
    const typing = client
      .typeText(' '.repeat(2000), { delay: 20, signal: controller.signal })
      .catch(() => undefined);
    await client.wait(100);
    const aborted = performance.now();
    controller.abort();
    await client.moveMouse({ x: 300 + round, y: 300 });
    times.push(performance.now() - aborted);
    await typing;
  }
  times.sort((first, second) => first - second);
  return {
    name: 'abort type_text, next input',
    median: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    count,
  };
}

async function main(): Promise<void> {
  const test = await startTestDesktop();
  const stops: Array<() => void> = [];
  try {
    const { client } = test.bytebotd;
    const name = `bench-${randomUUID()}.txt`;
    const written = await client.writeFile(name, '');
    stops.push(launchAsDesktopUser(test.desktop, 'mousepad', [written.path]));
    await waitForWindow(test.desktop, name);

    const figures: Figure[] = [];
    figures.push(await measure('screenshot png', () => client.screenshot()));
    figures.push(await measure('screenshot jpeg q80', () => client.screenshot({ format: 'jpeg' })));
    figures.push(await measure('screenshot webp q80', () => client.screenshot({ format: 'webp' })));
    figures.push(
      await measure('move_mouse', (round) => client.moveMouse({ x: 100 + (round & 255), y: 500 })),
    );
    figures.push(await measure('click_mouse', () => client.clickMouse({ coordinates: { x: 640, y: 500 } })));
    figures.push(await measure('one key (type_keys)', () => client.typeKeys(['Shift_L'])));
    let typed = '';
    figures.push(
      await measure('type_text 20 chars', async () => {
        const text = 'The quick brown fox.';
        typed += text;
        await client.typeText(text);
      }),
    );
    figures.push(
      await measure('action + screenshot', async (round) => {
        await client.moveMouse({ x: 200 + (round & 127), y: 600 });
        await client.screenshot();
      }),
    );
    // The same in one call: the screenshot taken once the screen was still for the default 100 ms.
    const settles: Array<{ settled: boolean; waitedMs: number }> = [];
    figures.push(
      await measure(
        'action + 750 ms + shot',
        async (round) => {
          // The original daemon's way: a fixed pause after every action, then a second call.
          await client.moveMouse({ x: 250 + (round & 127), y: 650 });
          await client.wait(750);
          await client.screenshot();
        },
        10,
      ),
    );
    figures.push(
      await measure('action + settled screenshot', async (round) => {
        const { screenshot } = await client.moveMouse(
          { x: 200 + (round & 127), y: 600 },
          { screenshotAfter: {} },
        );
        if (round >= 0) settles.push({ settled: screenshot.settled, waitedMs: screenshot.waitedMs });
      }),
    );

    // Arriving exactly: save, then compare what the editor wrote with what was sent.
    await client.typeKeys(['ctrl', 's']);
    let saved = '';
    for (let attempt = 0; attempt < 50 && saved !== typed; attempt += 1) {
      await client.wait(100);
      saved = (await client.readFile(name)).content.toString('utf8');
    }
    const size = (await client.screenshot()).data.length;
    // After the check: the aborted typing leaves spaces in the editor.
    figures.push(await abortToNextInput(client, 10));

    console.log(`\nbytebotd over HTTP, 1280x960, ${iterations} calls each (after 3 warm-up calls)\n`);
    console.log(`${'call'.padEnd(28)}${'median ms'.padStart(12)}${'p95 ms'.padStart(12)}`);
    for (const figure of figures) {
      console.log(
        `${figure.name.padEnd(28)}${figure.median.toFixed(2).padStart(12)}${figure.p95.toFixed(2).padStart(12)}`,
      );
    }
    console.log(`\nPNG size of the benchmark screen: ${(size / 1024).toFixed(0)} KiB`);
    const waits = settles.map((settle) => settle.waitedMs).sort((first, second) => first - second);
    console.log(
      `settled screenshots: ${settles.filter((settle) => settle.settled).length} of ${settles.length} settled, ` +
        `waitedMs median ${percentile(waits, 0.5)}, p95 ${percentile(waits, 0.95)}`,
    );
    console.log(
      `type_text arrived exactly: ${saved === typed ? 'yes' : `NO (${saved.length} of ${typed.length} characters)`}`,
    );
    if (saved !== typed) process.exitCode = 1;
  } finally {
    for (const stop of stops) stop();
    await test.stop();
  }
}

await main();
