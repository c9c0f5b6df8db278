import type { TaskPriority, TaskStatus } from '@bytebot/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentDatabase } from './database.ts';
import { tasks } from './schema.ts';
import { TaskRepository } from './task.repository.ts';
import { createTestDatabasePlace, drivers, type TestDatabasePlace } from './test-databases.fixture.ts';

describe.each(drivers)('searching, sorting and counting tasks on %s', (driver) => {
  let place: TestDatabasePlace;
  let database: AgentDatabase;
  let repository: TaskRepository;

  beforeAll(async () => {
    place = await createTestDatabasePlace(driver);
    database = await place.open();
    repository = new TaskRepository(database.db);
  });

  afterAll(async () => {
    await place?.dispose();
  });

  beforeEach(async () => {
    await database.db.delete(tasks);
  });

  /** Made one after another, a clock tick apart, so "newest" has one answer. */
  async function make(entries: Array<[string, TaskPriority, TaskStatus?]>) {
    for (const [description, priority, status] of entries) {
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 2));
      const task = await repository.create({ description, priority, type: 'IMMEDIATE', createdBy: 'USER' });
      if (status) await repository.update(task.id, { status });
    }
  }

  const descriptions = (page: { tasks: Array<{ description: string }> }) =>
    page.tasks.map((task) => task.description);

  it('finds a substring of the description in any case, and nothing else', async () => {
    await make([
      ['Open the Calculator', 'MEDIUM'],
      ['rename the invoices', 'MEDIUM'],
      ['CALCULATE the total', 'MEDIUM'],
    ]);
    const found = await repository.list({ page: 1, limit: 10, search: 'calcul' });
    expect(descriptions(found)).toEqual(['CALCULATE the total', 'Open the Calculator']);
    expect(found.total).toBe(2);
  });

  it("takes LIKE's own characters as plain text", async () => {
    await make([
      ['raise the price by 50%', 'LOW'],
      ['raise the price by 500', 'LOW'],
      ['save as report_1', 'LOW'],
      ['save as report11', 'LOW'],
      ['a path C:\\temp', 'LOW'],
      ['a path C:temp', 'LOW'],
    ]);
    const search = async (text: string) =>
      descriptions(await repository.list({ page: 1, limit: 10, search: text }));
    expect(await search('50%')).toEqual(['raise the price by 50%']);
    expect(await search('report_')).toEqual(['save as report_1']);
    expect(await search('C:\\t')).toEqual(['a path C:\\temp']);
    expect(await search('%')).toEqual(['raise the price by 50%']);
  });

  it('sorts by priority, the newest first within one', async () => {
    await make([
      ['low', 'LOW'],
      ['urgent, older', 'URGENT'],
      ['medium', 'MEDIUM'],
      ['high', 'HIGH'],
      ['urgent, newer', 'URGENT'],
    ]);
    const sorted = await repository.list({ page: 1, limit: 10, sort: 'priority' });
    expect(descriptions(sorted)).toEqual(['urgent, newer', 'urgent, older', 'high', 'medium', 'low']);
    const newest = await repository.list({ page: 1, limit: 2, sort: 'newest' });
    expect(descriptions(newest)).toEqual(['urgent, newer', 'high']);
  });

  it('counts every status, with zeros, and within a search', async () => {
    await make([
      ['alpha one', 'LOW', 'COMPLETED'],
      ['alpha two', 'LOW', 'COMPLETED'],
      ['beta', 'LOW', 'FAILED'],
      ['alpha three', 'LOW'],
    ]);
    expect(await repository.countByStatus()).toEqual({
      PENDING: 1,
      RUNNING: 0,
      NEEDS_HELP: 0,
      NEEDS_REVIEW: 0,
      COMPLETED: 2,
      CANCELLED: 0,
      FAILED: 1,
    });
    const alpha = await repository.countByStatus({ search: 'ALPHA' });
    expect([alpha.COMPLETED, alpha.PENDING, alpha.FAILED]).toEqual([2, 1, 0]);
    const both = await repository.list({ page: 1, limit: 10, search: 'alpha', statuses: ['COMPLETED'] });
    expect(both.total).toBe(2);
  });
});
