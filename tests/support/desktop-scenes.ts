import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningDesktop } from '@bytebot/desktop';
import { firefoxUserJs } from '@bytebot/eval';
import { launchAsDesktopUser, waitForWindow } from './desktop-programs.ts';

const execFileAsync = promisify(execFile);

/**
 * Real application windows full of text, for what a screenshot of a busy desktop costs and how legible
 * it stays: a terminal, Mousepad, a Firefox page in small print, Thunar's file list and a settings
 * dialog. Each scene knows the text it shows where we wrote it (`truth`); the settings dialog's words
 * are XFCE's own.
 */
export interface Scene {
  name: 'terminal' | 'mousepad' | 'firefox' | 'thunar' | 'settings';
  /** The window's id (wmctrl's), to raise it. */
  window: string;
  /** The text the window shows, where we wrote it. */
  truth?: string;
  /** Its text is one block of lines (a terminal, an editor), not a page of several. */
  oneBlock: boolean;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OpenScenes {
  scenes: Scene[];
  /** Raises one scene's window over the others; returns where it is on the screen, its title bar included. */
  show(scene: Scene): Promise<Region>;
  close(): Promise<void>;
}

/** A fixed sequence of pseudo-random numbers, so every run shows the same text. */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const words = `invoice report backup archive sync worker upload queue cache index summary draft budget
  schedule meeting review export import customer order payment shipment warehouse ledger account
  balance transfer notice contract renewal quarterly monthly weekly session token profile settings`
  .split(/\s+/)
  .filter(Boolean);

function terminalText(): string {
  const next = numbers(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  const lines: string[] = [];
  for (let index = 0; index < 46; index += 1) {
    const time = `09:${String(10 + Math.floor(index / 2)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}`;
    if (index % 3 === 2) {
      const size = String(Math.floor(next() * 90_000) + 1000).padStart(6, ' ');
      lines.push(
        `-rw-r--r-- 1 bytebot bytebot ${size} Mar 14 ${time.slice(0, 5)} ${pick(words)}-${pick(words)}-${index}.csv`,
      );
    } else {
      const worker = `${pick(words)}-worker[${Math.floor(next() * 9) + 1}]`;
      const path = `/var/lib/${pick(words)}/${pick(words)}/${pick(words)}-${Math.floor(next() * 9000) + 1000}.json`;
      lines.push(
        `2026-03-14 ${time} ${pick(levels).padEnd(5)} ${worker.padEnd(20)} ${pick(words)} ${path} (${Math.floor(next() * 4000) + 12} KB, ${Math.floor(next() * 900) + 3} ms)`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const paragraph = [
  'The quarterly review starts on Tuesday at half past nine in the small meeting room on the second floor.',
  'Please bring the printed budget summary, the list of open orders from the warehouse, and any notes on',
  'customer payments that arrived after the fourteenth of March. Maria will present the shipment figures',
  'for the northern region first; Tom follows with the renewal contracts and the new ledger accounts. We',
  'expect the session to take about ninety minutes, with a short break at eleven. If you cannot attend,',
  'send your questions to the team address by Monday evening so that they can be answered in the minutes.',
  'The draft agenda, the archive of last quarter and the export of all invoices are in the shared folder',
  'under Reports/2026/Q1; the password for the spreadsheet is the same as for the weekly schedule. Thank',
  'you all for the careful work on the backup migration, which finished two days ahead of the plan.',
].join('\n');

const pageParagraphs: Array<{ size: number; text: string }> = [
  {
    size: 13,
    text: 'Orders placed before noon ship the same day from the central warehouse. Delivery takes two to four working days within the country and five to nine days abroad, depending on customs.',
  },
  {
    size: 12,
    text: 'Returns are accepted within thirty days of delivery if the goods are unused and in their original packaging. Refunds reach the account used for payment within ten working days.',
  },
  {
    size: 12,
    text: 'Parcels that cannot be delivered wait at the nearest pickup point for seven days. After that they come back to us, and we refund the order less the shipping costs of both ways.',
  },
  {
    size: 11,
    text: 'Prices include value added tax at the standard rate. Shipping costs are shown at checkout and depend on the weight of the parcel and the destination. Discount codes cannot be combined.',
  },
  {
    size: 11,
    text: 'Gift cards are valid for three years from the date of purchase and can be used for several orders until their balance is spent. They cannot be exchanged for cash or sent abroad.',
  },
  {
    size: 10,
    text: 'All trademarks belong to their owners. Terms of service version 4.2, last changed on 14 March 2026. Questions about your data go to privacy@example.org or to the postal address below.',
  },
  {
    size: 10,
    text: 'Registered office: Harbour Street 18, 2100 Northport. Company number 0481 5523, managing directors Ines Walter and Paul Okafor. Customer service answers from Monday to Friday, 8 to 18.',
  },
];
const pageRows = [
  ['Order', 'Customer', 'Items', 'Total', 'Status'],
  ['10482', 'Ruth Baker', '3', '148.20', 'Shipped'],
  ['10483', 'Omar Haddad', '1', '19.99', 'Packed'],
  ['10484', 'Lena Fischer', '7', '402.75', 'Awaiting payment'],
  ['10485', 'Kenji Sato', '2', '64.00', 'Shipped'],
  ['10486', 'Ana Costa', '5', '231.40', 'Returned'],
  ['10487', 'Priya Nair', '4', '87.15', 'Packed'],
  ['10488', 'Jonas Berg', '6', '312.60', 'Shipped'],
  ['10489', 'Chloe Martin', '1', '9.50', 'Cancelled'],
];
const pageTitle = 'Shipping and returns';

function pageHtml(): string {
  const paragraphs = pageParagraphs.map(({ size, text }) => `<p style="font-size:${size}px">${text}</p>`);
  const rows = pageRows.map(
    (row, index) =>
      `<tr>${row.map((cell) => (index === 0 ? `<th>${cell}</th>` : `<td>${cell}</td>`)).join('')}</tr>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${pageTitle}</title>
<style>body{font-family:sans-serif;margin:20px 36px;color:#222;max-width:900px}h1{font-size:20px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #aaa;padding:3px 10px;text-align:left}</style>
</head><body><h1>${pageTitle}</h1>${paragraphs.slice(0, 3).join('')}<table>${rows.join('')}</table>${paragraphs.slice(3).join('')}</body></html>`;
}

function pageText(): string {
  return [
    pageTitle,
    ...pageParagraphs.slice(0, 3).map((item) => item.text),
    ...pageRows.map((row) => row.join(' ')),
    ...pageParagraphs.slice(3).map((item) => item.text),
  ].join('\n');
}

const fileNames = (() => {
  const next = numbers(11);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const extensions = ['ods', 'pdf', 'txt', 'png', 'csv', 'odt', 'zip', 'json'];
  const names = new Set<string>();
  while (names.size < 34)
    names.add(`${pick(words)}-${pick(words)}-${Math.floor(next() * 90) + 10}.${pick(extensions)}`);
  return [...names].sort();
})();

/**
 * Opens the scenes' windows on the desktop, each maximized (the settings dialog at its own size), and
 * returns once every one is shown. `only` limits them to some scenes.
 */
export async function openScenes(desktop: RunningDesktop, only?: Array<Scene['name']>): Promise<OpenScenes> {
  const wanted = (name: Scene['name']) => !only || only.includes(name);
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-scenes-'));
  chmodSync(folder, 0o755);
  const owned = (path: string) => {
    if (process.getuid?.() === 0) chownSync(path, desktop.user.uid, desktop.user.gid);
  };
  const environment = { ...process.env, ...desktop.environment() };
  const asUser =
    process.getuid?.() === 0 && desktop.user.uid !== 0
      ? { uid: desktop.user.uid, gid: desktop.user.gid }
      : {};
  const stops: Array<() => void> = [];
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(pageHtml());
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const restores: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops) stop();
    for (const restore of restores) await restore();
    await new Promise((resolvePromise) => server.close(resolvePromise));
    rmSync(folder, { recursive: true, force: true });
  };

  try {
    const opening: Array<Promise<Scene>> = [];
    const open = async (
      name: Scene['name'],
      title: string | RegExp,
      start: () => void,
      truth: string | undefined,
      maximize = true,
    ): Promise<Scene> => {
      start();
      const window = await waitForTitle(desktop, title, name === 'firefox' ? 60_000 : 20_000);
      if (maximize)
        await execFileAsync('wmctrl', ['-i', '-r', window, '-b', 'add,maximized_vert,maximized_horz'], {
          env: environment,
        });
      const oneBlock = name === 'terminal' || name === 'mousepad';
      return { name, window, oneBlock, ...(truth !== undefined ? { truth } : {}) };
    };
    if (wanted('terminal')) {
      const text = terminalText();
      writeFileSync(join(folder, 'terminal.txt'), text, { mode: 0o644 });
      opening.push(
        open(
          'terminal',
          'Scene terminal',
          () =>
            stops.push(
              launchAsDesktopUser(desktop, 'xfce4-terminal', [
                '--disable-server',
                '--hide-menubar',
                '--title=Scene terminal',
                '-x',
                'sh',
                '-c',
                `cat '${join(folder, 'terminal.txt')}'; exec sleep 3600`,
              ]),
            ),
          text,
        ),
      );
    }
    if (wanted('mousepad')) {
      writeFileSync(join(folder, 'agenda.txt'), `${paragraph}\n`, { mode: 0o644 });
      // The user's own file: Mousepad marks another's as read-only in its title.
      owned(join(folder, 'agenda.txt'));
      opening.push(
        open(
          'mousepad',
          'agenda.txt - Mousepad',
          () => stops.push(launchAsDesktopUser(desktop, 'mousepad', [join(folder, 'agenda.txt')])),
          paragraph,
        ),
      );
    }
    if (wanted('firefox')) {
      const profile = join(folder, 'firefox-profile');
      mkdirSync(profile, { mode: 0o700 });
      owned(profile);
      // The evaluation's Firefox preferences: no extra tabs or bars over the page.
      writeFileSync(join(profile, 'user.js'), firefoxUserJs(), { mode: 0o644 });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      opening.push(
        open(
          'firefox',
          new RegExp(`^${pageTitle} . Mozilla Firefox$`),
          () =>
            stops.push(
              launchAsDesktopUser(desktop, 'firefox-esr', ['--no-remote', '--profile', profile, url]),
            ),
          pageText(),
        ),
      );
    }
    if (wanted('thunar')) {
      const files = join(folder, 'scene-files');
      mkdirSync(files, { mode: 0o755 });
      for (const name of fileNames) writeFileSync(join(files, name), `${name}\n`, { mode: 0o644 });
      // The list view, with the name of every file in full, rather than icons with shortened names; the
      // user's own choice is put back on close (the test desktops share one account).
      const thunarView = (...args: string[]) =>
        execFileAsync('xfconf-query', ['-c', 'thunar', '-p', '/last-view', ...args], {
          env: environment,
          cwd: desktop.user.home,
          ...asUser,
        });
      const previous = await thunarView().then(
        ({ stdout }) => stdout.trim(),
        () => undefined,
      );
      await thunarView('-n', '-t', 'string', '-s', 'ThunarDetailsView');
      restores.push(() =>
        (previous ? thunarView('-s', previous) : thunarView('-r')).then(
          () => undefined,
          () => undefined,
        ),
      );
      opening.push(
        open(
          'thunar',
          'scene-files - Thunar',
          () => stops.push(launchAsDesktopUser(desktop, 'thunar', [files])),
          fileNames.join('\n'),
        ),
      );
    }
    if (wanted('settings')) {
      opening.push(
        open(
          'settings',
          'Window Manager',
          () => stops.push(launchAsDesktopUser(desktop, 'xfwm4-settings', [])),
          undefined,
          false,
        ),
      );
    }
    const scenes = await Promise.all(opening);
    return {
      scenes,
      async show(scene) {
        await execFileAsync('wmctrl', ['-i', '-a', scene.window], { env: environment });
        return windowRegion(environment, scene.window);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A window's place on the screen (wmctrl's geometry is the inside of its frame: the title bar is added). */
async function windowRegion(environment: NodeJS.ProcessEnv, window: string): Promise<Region> {
  const [{ stdout: listing }, { stdout: screen }] = await Promise.all([
    execFileAsync('wmctrl', ['-lG'], { env: environment }),
    execFileAsync('xdpyinfo', [], { env: environment }),
  ]);
  const line = listing.split('\n').find((candidate) => candidate.startsWith(window));
  const [, , x = 0, y = 0, width = 0, height = 0] = (line ?? '').split(/\s+/).map(Number);
  const [, screenWidth = 1280, screenHeight = 960] =
    /dimensions:\s+(\d+)x(\d+)/.exec(screen)?.map(Number) ?? [];
  // Below XFCE's top panel, whose clock changes from run to run.
  const titleBar = 28;
  const panel = 28;
  const top = Math.max(panel, y - titleBar);
  return {
    x: Math.max(0, x),
    y: top,
    width: Math.min(screenWidth, x + width) - Math.max(0, x),
    height: Math.min(screenHeight, y + height) - top,
  };
}

async function waitForTitle(desktop: RunningDesktop, title: string | RegExp, timeoutMs: number) {
  if (typeof title === 'string') return waitForWindow(desktop, title, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await execFileAsync('wmctrl', ['-l'], {
      env: { ...process.env, ...desktop.environment() },
    }).catch(() => ({ stdout: '' }));
    for (const line of stdout.split('\n')) {
      const [id, , , ...rest] = line.split(/\s+/);
      if (id && title.test(rest.join(' '))) return id;
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  throw new Error(`no window titled ${title} appeared within ${timeoutMs} ms`);
}
