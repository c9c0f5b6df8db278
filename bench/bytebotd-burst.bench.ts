import { readFileSync } from 'node:fs';
import { startTestDesktop } from '../tests/support/test-desktop.ts';

/**
 * Bursts of concurrent screenshots at one bytebotd (1280x960, XFCE): the latency of each call and what the
 * process holds in memory meanwhile (its peak RSS from the kernel, VmHWM) and after a pause. Prints figures;
 * asserts nothing.
 */
const burst = Number(process.env.BENCH_BURST ?? 200);
const bursts = Number(process.env.BENCH_BURSTS ?? 2);
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 10_000);

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] as number;
}

/**
 * One screenshot over plain fetch: the typed client's JSON parse, schema check and base64 decode of 0.5 MB
 * each would make the 200 answers queue up in this process, and measure it rather than bytebotd. The
 * answer is checked from its first bytes: a PNG of the screen's size.
 */
async function screenshot(url: string, token: string | undefined): Promise<void> {
  const response = await fetch(`${url}/computer-use`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: '{"action":"screenshot"}',
  });
  const text = await response.text();
  const start = text.indexOf('"image":"') + 9;
  const head = Buffer.from(text.slice(start, start + 32), 'base64');
  if (response.status !== 200 || head.toString('latin1', 1, 4) !== 'PNG' || head.readUInt32BE(16) !== 1280)
    throw new Error(`not a 1280-wide PNG: ${response.status} ${text.slice(0, 200)}`);
}

const test = await startTestDesktop();
try {
  const { client, pid, url, token } = test.bytebotd;
  for (let round = 0; round < 3; round += 1) await client.screenshot();
  console.log(`\n${burst} concurrent PNG screenshots at bytebotd, 1280x960, ${bursts} bursts\n`);
  console.log(`before: RSS ${memoryOf(pid).rss.toFixed(0)} MB`);
  for (let round = 1; round <= bursts; round += 1) {
    const started = performance.now();
    const times = await Promise.all(
      Array.from({ length: burst }, async () => {
        await screenshot(url, token);
        return performance.now() - started;
      }),
    );
    times.sort((first, second) => first - second);
    const memory = memoryOf(pid);
    console.log(
      `burst ${round}: p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms, ` +
        `all in ${(performance.now() - started).toFixed(0)} ms; peak RSS so far ${memory.peak.toFixed(0)} MB, ` +
        `RSS now ${memory.rss.toFixed(0)} MB`,
    );
  }
  await new Promise((resolvePromise) => setTimeout(resolvePromise, idleMs));
  console.log(`after ${idleMs / 1000} s idle: RSS ${memoryOf(pid).rss.toFixed(0)} MB`);
} finally {
  await test.stop();
}
