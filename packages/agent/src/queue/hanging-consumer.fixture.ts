// A consumer in a process of its own, for the crash test: it says when it is ready and when a task
// started, then never finishes that task, so the test can kill the process while the task runs.
import { BullMqTaskQueue } from './bullmq-task-queue.ts';

const [redisUrl, name, lockDurationMs, stalledIntervalMs] = process.argv.slice(2);
if (!redisUrl || !name)
  throw new Error('usage: hanging-consumer.fixture.ts <redisUrl> <name> <lockMs> <stalledMs>');
const queue = new BullMqTaskQueue({
  redisUrl,
  name,
  lockDurationMs: Number(lockDurationMs),
  stalledIntervalMs: Number(stalledIntervalMs),
});
await queue.start(async (taskId) => {
  process.stdout.write(`started ${taskId}\n`);
  await new Promise(() => {});
});
process.stdout.write('ready\n');
