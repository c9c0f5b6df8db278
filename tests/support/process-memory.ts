import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it. */
export interface ProcessEntry {
  pid: number;
  parent: number;
  name: string;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined;
  }
}

/** Every process now, from /proc (a process that ends meanwhile is left out). */
export function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), 'stat');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat?.lastIndexOf(')') ?? -1;
    if (!stat || close < 0) continue;
    const parent = Number(stat.slice(close + 2).split(' ')[1]);
    entries.push({ pid: Number(name), parent, name: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return entries;
}

/** The processes given and every process below them. */
export function withDescendants(pids: Iterable<number>, table = processTable()): Set<number> {
  const found = new Set(pids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of table) {
      if (!found.has(entry.pid) && found.has(entry.parent)) {
        found.add(entry.pid);
        grew = true;
      }
    }
  }
  return found;
}

/** Processes whose environment names this X display: the session's programs, wherever they were reparented. */
export function processesOnDisplay(display: string, table = processTable()): Set<number> {
  const found = new Set<number>();
  for (const entry of table) {
    const environment = readProc(entry.pid, 'environ');
    if (environment?.split('\0').includes(`DISPLAY=${display}`)) found.add(entry.pid);
  }
  return found;
}

/** Resident memory: RSS counts shared pages in every process mapping them, PSS splits them between those. */
export interface MemoryFigures {
  rssKb: number;
  pssKb: number;
  processes: number;
}

function field(text: string | undefined, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text ?? '');
  return Number(match?.[1] ?? 0);
}

export function memoryOf(pids: Iterable<number>): MemoryFigures {
  const figures: MemoryFigures = { rssKb: 0, pssKb: 0, processes: 0 };
  for (const pid of pids) {
    const status = readProc(pid, 'status');
    if (!status) continue;
    figures.processes += 1;
    figures.rssKb += field(status, 'VmRSS');
    figures.pssKb += field(readProc(pid, 'smaps_rollup'), 'Pss');
  }
  return figures;
}

/** The memory of each process name among pids, largest first (RSS in kB). */
export function memoryByName(pids: Iterable<number>, table = processTable()): Array<[string, number]> {
  const names = new Map(table.map((entry) => [entry.pid, entry.name]));
  const byName = new Map<string, number>();
  for (const pid of pids) {
    const rss = field(readProc(pid, 'status'), 'VmRSS');
    const name = names.get(pid) ?? String(pid);
    byName.set(name, (byName.get(name) ?? 0) + rss);
  }
  return [...byName].sort((first, second) => second[1] - first[1]);
}

/** CPU time the processes used so far (user and system), in seconds (clock ticks of 1/100 s). */
export function cpuSeconds(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readProc(pid, 'stat');
    const close = stat?.lastIndexOf(')') ?? -1;
    if (!stat || close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    // After the state: utime and stime are the 12th and 13th fields.
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

/** The machine's busy and total CPU time so far, in seconds over all cores (from /proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the 4th and 5th.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** MemTotal and MemAvailable from /proc/meminfo, in kB. */
export function machineMemory(): { totalKb: number; availableKb: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  return { totalKb: field(text, 'MemTotal'), availableKb: field(text, 'MemAvailable') };
}
