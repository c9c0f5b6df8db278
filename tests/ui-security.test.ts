/// <reference lib="dom" />
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../packages/ui/server/login-page.ts';
import { LoginThrottle } from '../packages/ui/server/login-throttle.ts';
import { desktopWebsockifyPath, normaliseRequestTarget } from '../packages/ui/server/request-path.ts';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { type AgentProcess, eventually } from './support/agent-process.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { gate } from './support/gate.ts';
import { liveCanvas } from './support/live-canvas.ts';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import type { TestDesktop } from './support/test-desktop.ts';
import { startUiProcess, type UiProcess } from './support/ui-process.ts';
import { upgrade } from './support/websocket-upgrade.ts';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with its path sent exactly as written (no client library normalises it), from the
 * given local address when there is one, with the Host header given or the server's own.
 */
function rawRequest(
  base: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Sends the body in pieces without a Content-Length (chunked). */
    chunked?: boolean;
    localAddress?: string;
  },
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolvePromise, rejectPromise) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: {
          ...(options.body !== undefined && !options.chunked
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        localAddress: options.localAddress,
        agent: false,
      },
      (answer) => {
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          body += chunk;
        });
        answer.on('end', () =>
          resolvePromise({ status: answer.statusCode ?? 0, headers: answer.headers, body }),
        );
        answer.on('error', rejectPromise);
      },
    );
    outgoing.on('error', rejectPromise);
    if (options.body !== undefined && options.chunked) {
      const body = Buffer.from(options.body);
      for (let offset = 0; offset < body.length; offset += 1000)
        outgoing.write(body.subarray(offset, offset + 1000));
      outgoing.end();
    } else {
      outgoing.end(options.body);
    }
  });
}

async function login(
  ui: UiProcess,
  password: string,
  options: { next?: string; localAddress?: string } = {},
): Promise<RawAnswer & { cookie: string }> {
  const answer = await rawRequest(ui.url, {
    method: 'POST',
    path: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, next: options.next ?? '/' }).toString(),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const setCookie = answer.headers['set-cookie']?.[0] ?? '';
  return { ...answer, cookie: setCookie.split(';')[0] as string };
}

/** A page of "another site" on another port of 127.0.0.1: same-site for the browser, so the cookie goes along. */
const attackPage = `<!doctype html><html><body>
<iframe name="sink"></iframe>
<script>
(async () => {
  const parameters = new URLSearchParams(location.search);
  const ui = parameters.get('ui');
  const id = parameters.get('id');
  const form = document.createElement('form');
  form.method = 'POST';
  form.enctype = 'text/plain';
  form.target = 'sink';
  form.action = ui + '/api/agent/tasks/' + id + '/cancel';
  const field = document.createElement('input');
  field.name = '{"x":"';
  field.value = '"}';
  form.append(field);
  document.body.append(form);
  form.submit();
  const send = (path, body) =>
    fetch(ui + path, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body })
      .then(() => 'sent', (error) => String(error));
  const probe = (url, protocols) => new Promise((resolve) => {
    const result = { url, opened: false, messages: 0, code: 0 };
    const socket = new WebSocket(url, protocols);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => { result.opened = true; };
    socket.onmessage = () => { result.messages += 1; };
    socket.onclose = (event) => { result.code = event.code; resolve(result); };
    setTimeout(() => { socket.close(); resolve(result); }, 5000);
  });
  const websocketBase = ui.replace('http', 'ws');
  const [fetches, sockets] = await Promise.all([
    Promise.all([
      send('/api/agent/tasks/' + id + '/takeover', '{}'),
      send('/api/agent/tasks/' + id + '/replay', '{}'),
      send('/api/agent/tasks', JSON.stringify({ description: 'planted by another site' })),
      fetch(ui + '/api/live-view', { mode: 'no-cors', credentials: 'include' }).then(() => 'read', (error) => String(error)),
    ]),
    Promise.all([
      probe(websocketBase + '/api/agent/socket.io/?EIO=4&transport=websocket'),
      probe(websocketBase + '/websockify', ['binary']),
    ]),
  ]);
  window.attack = { fetches, sockets, done: true };
})();
</script></body></html>`;

describe('the UI against other origins, rebinding, crafted paths and password guessing (real stack)', () => {
  let fixture: AgentFixture;
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;
  let ui: UiProcess;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  let cookie: string;

  beforeAll(async () => {
    fixture = await startAgentFixture({
      desktop: { session: 'none', vnc: true, environment: { BYTEBOT_LOG_LEVEL: 'debug' } },
    });
    ({ testDesktop: test, model, agent } = fixture);
    ui = await startUiProcess({
      agentUrl: agent.url,
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
    });
    browser = await chromium.launch(chromiumLaunchOptions);
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(attackPage);
    });
    await new Promise<void>((resolvePromise) => attacker.listen(0, '127.0.0.1', resolvePromise));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    cookie = (await login(ui, ui.password)).cookie;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolvePromise) =>
      attacker ? attacker.close(resolvePromise) : resolvePromise(undefined),
    );
    await ui?.stop();
    await fixture?.stop();
  });

  it('refuses a page on another port of 127.0.0.1 (cancel, takeover, replay, new task, both websockets) while the real UI works', async () => {
    const thinking = gate();
    model.play([
      thinking.step(reply.tool('set_task_status', { status: 'completed', description: 'done' })),
      reply.tool('set_task_status', { status: 'completed', description: 'done after the hand-back' }),
    ]);
    const task = await agent.client.createTask({ description: 'A task another site would like to stop' });
    await thinking.reached;
    const before = await agent.client.listTasks();

    const context = await browser.newContext();
    const page = await context.newPage();
    await ui.login(page);
    // What the browser really sent and got, from the DevTools protocol: cookies included (Playwright's own
    // request headers leave them out for no-cors fetches).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const sent = new Map<string, { cookie: boolean; origin: string }>();
    const answered = new Map<string, { path: string; status: number }>();
    const handshakes: number[] = [];
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      const cookies = event.associatedCookies.filter(
        (entry) => entry.cookie.name === 'bytebot_session' && entry.blockedReasons.length === 0,
      );
      sent.set(event.requestId, { cookie: cookies.length > 0, origin: String(event.headers.Origin ?? '') });
    });
    cdp.on('Network.responseReceived', (event) => {
      if (event.response.url.startsWith(ui.url))
        answered.set(event.requestId, {
          path: new URL(event.response.url).pathname,
          status: event.response.status,
        });
    });
    cdp.on('Network.webSocketHandshakeResponseReceived', (event) => handshakes.push(event.response.status));
    const cancelled = page.waitForResponse((response) => response.url().endsWith('/cancel'));
    await page.goto(`${attackerUrl}/?ui=${encodeURIComponent(ui.url)}&id=${task.id}`);
    await cancelled;
    await page.waitForFunction(
      () => (window as { attack?: { done?: boolean } }).attack?.done === true,
      null,
      {
        timeout: 20_000,
      },
    );
    const attack = (await page.evaluate(() => (window as unknown as { attack: unknown }).attack)) as {
      sockets: Array<{ url: string; opened: boolean; messages: number }>;
    };
    // The browser's own requests of the UI (a late favicon of the login page) are not the attack's.
    const seen = [...answered]
      .filter(([, answer]) => answer.path.startsWith('/api/'))
      .map(([requestId, answer]) => ({ ...answer, ...sent.get(requestId) }));
    expect(seen.map((answer) => answer.path).sort()).toEqual(
      [
        '/api/agent/tasks',
        '/api/live-view',
        `/api/agent/tasks/${task.id}/cancel`,
        `/api/agent/tasks/${task.id}/replay`,
        `/api/agent/tasks/${task.id}/takeover`,
      ].sort(),
    );
    // Each went out with the session cookie (SameSite=Strict let it through) and was refused here.
    for (const answer of seen) expect(answer).toEqual({ ...answer, status: 403, cookie: true });
    expect(seen.filter((answer) => answer.origin === attackerUrl)).toHaveLength(4);
    expect(handshakes).not.toContain(101);
    for (const socket of attack.sockets) expect(socket).toEqual({ ...socket, opened: false, messages: 0 });
    // Read back from the agent itself: nothing changed.
    const after = await agent.client.getTask(task.id);
    expect([after.status, after.control]).toEqual(['RUNNING', 'ASSISTANT']);
    expect((await agent.client.listTasks()).total).toBe(before.total);

    // The same refusal, raw: the reason is named.
    const refused = await rawRequest(ui.url, {
      method: 'POST',
      path: `/api/agent/tasks/${task.id}/cancel`,
      headers: { cookie, origin: attackerUrl, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    const sameSite = await rawRequest(ui.url, {
      method: 'POST',
      path: `/api/agent/tasks/${task.id}/cancel`,
      headers: { cookie, origin: ui.url, 'sec-fetch-site': 'same-site' },
      body: '{}',
    });
    expect(JSON.parse(sameSite.body)).toMatchObject({ error: { code: 'CROSS_ORIGIN_REQUEST' } });
    // No Origin at all is a program, not a page (browsers always send one with a POST): it may change
    // state with an application/json body only, which no page of another origin can send without a CORS
    // preflight. Everything a page can send (text/plain, a form, an empty body) needs our Origin.
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const withoutOrigin = await rawRequest(ui.url, {
        method: 'POST',
        path: `/api/agent/tasks/${task.id}/cancel`,
        headers: { cookie, ...(contentType ? { 'content-type': contentType } : {}) },
        body: '{}',
      });
      expect([contentType, withoutOrigin.status]).toEqual([contentType, 403]);
      expect(JSON.parse(withoutOrigin.body)).toMatchObject({ error: { code: 'ORIGIN_REQUIRED' } });
    }
    const program = await rawRequest(ui.url, {
      method: 'POST',
      path: `/api/agent/tasks/${randomUUID()}/cancel`,
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(program.status).toBe(404); // the agent's answer: it got through, to a task that does not exist
    const websocketBase = ui.url.replace('http', 'ws');
    // The agent's desktop too, through the agent's own live view route (the fleet's way in).
    const [desktop] = (await agent.client.desktops()).desktops;
    const fleetLiveView = `/api/agent/desktops/${desktop?.id}/websockify`;
    for (const path of ['/websockify', fleetLiveView, '/api/agent/socket.io/?EIO=4&transport=websocket']) {
      const crossOrigin = await upgrade(`${websocketBase}${path}`, { cookie, origin: attackerUrl });
      expect([path, crossOrigin.status]).toEqual([path, 403]);
      expect(crossOrigin.body).toContain('ORIGIN_NOT_ALLOWED');
      expect([path, (await upgrade(`${websocketBase}${path}`, { cookie })).status]).toEqual([path, 403]);
      // The UI's own origin still connects: the VNC handshake, socket.io's open packet.
      const own = await upgrade(`${websocketBase}${path}`, { cookie, origin: ui.url });
      expect([path, own.status]).toEqual([path, 101]);
      expect(own.body).toMatch(/^RFB 003\.00\d|^0\{"sid"/);
    }
    expect((await agent.client.getTask(task.id)).status).toBe('RUNNING');

    // The real UI, in the same browser: live view, take over, hand back, live events to COMPLETED.
    await page.goto(`${ui.url}/tasks/${task.id}`);
    await page.evaluate(() => Object.assign(window, { bytebotNoReload: true }));
    await liveCanvas(page.frameLocator('iframe.desktop-frame'));
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('button', { name: 'Hand back to Bytebot' }).waitFor();
    await eventually('the takeover', async () => {
      const current = await agent.client.getTask(task.id);
      return current.control === 'USER' ? current : undefined;
    });
    thinking.release();
    await page.getByRole('button', { name: 'Hand back to Bytebot' }).click();
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(() => (window as unknown as { bytebotNoReload?: boolean }).bytebotNoReload),
    ).toBe(true);
    // Its "Log out" link (a same-origin GET) ends the session on the server: the cookie is then worthless.
    const [session] = (await context.cookies(ui.url)).filter((entry) => entry.name === 'bytebot_session');
    await page.getByRole('link', { name: 'Log out' }).click();
    await page.waitForURL(`${ui.url}/login`);
    const afterLogout = await rawRequest(ui.url, {
      path: '/api/agent/tasks',
      headers: { cookie: `bytebot_session=${session?.value}` },
    });
    expect(afterLogout.status).toBe(401);
    await context.close();
  });

  it('refuses a host name that is not ours (DNS rebinding), in a real browser and raw', async () => {
    const port = new URL(ui.url).port;
    const rebinding = await chromium.launch({
      ...chromiumLaunchOptions,
      args: [...chromiumLaunchOptions.args, '--host-resolver-rules=MAP rebound.bytebot.test 127.0.0.1'],
    });
    try {
      const page = await rebinding.newPage();
      const shown = await page.goto(`http://rebound.bytebot.test:${port}/login`);
      expect(shown?.status()).toBe(403);
      expect(await page.textContent('body')).toContain('HOST_NOT_ALLOWED');
    } finally {
      await rebinding.close();
    }
    for (const method of ['GET', 'POST']) {
      const answer = await rawRequest(ui.url, {
        method,
        path: '/api/agent/tasks',
        headers: {
          host: `rebound.bytebot.test:${port}`,
          cookie,
          origin: `http://rebound.bytebot.test:${port}`,
        },
        ...(method === 'POST' ? { body: '{"description":"x"}' } : {}),
      });
      expect([method, answer.status]).toEqual([method, 403]);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    }
    const socket = await upgrade(`${ui.url.replace('http', 'ws')}/websockify`, {
      cookie,
      host: `rebound.bytebot.test:${port}`,
      origin: `http://rebound.bytebot.test:${port}`,
    });
    expect(socket.status).toBe(403);
    // Our own names pass: 127.0.0.1 and localhost, with the port.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const answer = await rawRequest(ui.url, { path: '/api/agent/tasks', headers: { host, cookie } });
      expect([host, answer.status]).toEqual([host, 200]);
    }
  });

  it('never lets a walked-around path reach bytebotd or the agent, and noVNC still loads', async () => {
    const mark = test.bytebotd.output().length;
    const paths = [
      '/novnc/../computer-use',
      '/novnc/./../computer-use',
      '/novnc/%2e%2e/computer-use',
      '/novnc/%2E%2E/computer-use',
      '/novnc/.%2e/computer-use',
      '/novnc/..%2fcomputer-use',
      '/novnc/..%2Fcomputer-use',
      '/novnc/..%5ccomputer-use',
      '/novnc/..\\computer-use',
      '/novnc/%252e%252e/computer-use',
      '/novnc//../../computer-use',
      '/novnc/%00/../computer-use',
      '/novnc/core/../../live-view',
      '/api/agent/../../novnc/../computer-use',
      '/api/agent/..%2f..%2fcomputer-use',
      '/api/agent/%2e%2e/%2e%2e/computer-use',
      '/api/agent/tasks/..%2f..%2fhealth',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const answer = await rawRequest(ui.url, {
          method,
          path,
          headers: { cookie, origin: ui.url, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: JSON.stringify({ action: 'screenshot' }) } : {}),
        });
        expect([method, path, answer.status]).toSatisfy(([, , status]) => status === 400 || status === 404);
        expect(answer.body).not.toMatch(/"image"|"password"/);
      }
    }
    // bytebotd logs every request it serves (debug): none of these reached it.
    expect(test.bytebotd.output().slice(mark)).not.toMatch(/computer-use|live-view|openapi/);
    // The live view's files still come through, with and without harmless dot segments.
    for (const path of ['/novnc/vnc.html', '/novnc/core/rfb.js', '/novnc/core/../core/rfb.js']) {
      const answer = await rawRequest(ui.url, { path, headers: { cookie } });
      expect([path, answer.status]).toEqual([path, 200]);
    }
  });

  it('locks a client out after 5 wrong passwords, longer each time, and lets the right one in after the window', async () => {
    const guarded = await startUiProcess({
      agentUrl: agent.url,
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      environment: { BYTEBOT_UI_LOGIN_LOCK_SECONDS: '2' },
    });
    try {
      const guesses: number[] = [];
      for (let guess = 0; guess < 20; guess += 1)
        guesses.push((await login(guarded, `guess-${guess}`)).status);
      expect(guesses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
      const early = await login(guarded, guarded.password);
      expect(early.status).toBe(429);
      expect(Number(early.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(early.cookie).toBe('');
      // Another client is not locked out by this one's guesses.
      expect((await login(guarded, guarded.password, { localAddress: '127.0.0.2' })).status).toBe(303);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 2_100));
      expect((await login(guarded, guarded.password)).status).toBe(303);
      // The lock doubles with each failure past the fifth: after five more, the sixth waits 4 s.
      for (let guess = 0; guess < 5; guess += 1)
        expect((await login(guarded, `again-${guess}`)).status).toBe(401);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 2_100));
      expect((await login(guarded, 'one more')).status).toBe(401);
      const doubled = await login(guarded, guarded.password);
      expect([doubled.status, Number(doubled.headers['retry-after'])]).toEqual([429, 4]);
    } finally {
      await guarded.stop();
    }
  });

  it('ends a session at logout, gives every login its own cookie, and keeps live sessions across a restart', async () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'ui-security-sessions-'));
    const start = (password?: string) =>
      startUiProcess({
        agentUrl: agent.url,
        bytebotdUrl: test.bytebotd.url,
        token: test.bytebotd.token as string,
        environment: { BYTEBOT_DATA_DIR: dataDirectory },
        ...(password ? { password } : {}),
      });
    const tasks = (server: UiProcess, session: string) =>
      rawRequest(server.url, { path: '/api/agent/tasks', headers: { cookie: session } }).then(
        (answer) => answer.status,
      );
    let first = await start();
    try {
      const [one, two] = await Promise.all([login(first, first.password), login(first, first.password)]);
      expect([one.status, two.status]).toEqual([303, 303]);
      expect(one.cookie).not.toBe(two.cookie);
      expect([await tasks(first, one.cookie), await tasks(first, two.cookie)]).toEqual([200, 200]);
      const out = await rawRequest(first.url, { path: '/logout', headers: { cookie: one.cookie } });
      expect([out.status, out.headers.location]).toEqual([303, '/login']);
      expect([await tasks(first, one.cookie), await tasks(first, two.cookie)]).toEqual([401, 200]);
      const socket = await upgrade(`${first.url.replace('http', 'ws')}/websockify`, {
        cookie: one.cookie,
        origin: first.url,
      });
      expect(socket.status).toBe(401);
      // Kept on disk for restarts: mode 0600, hashes only, never a cookie's value.
      const file = join(dataDirectory, 'ui-sessions.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const stored = readFileSync(file, 'utf8');
      for (const session of [one.cookie, two.cookie]) expect(stored).not.toContain(session.split('=')[1]);

      const password = first.password;
      await first.stop();
      first = await start(password);
      expect([await tasks(first, one.cookie), await tasks(first, two.cookie)]).toEqual([401, 200]);
      await first.stop();
      // A new password ends every session.
      first = await start();
      expect(await tasks(first, two.cookie)).toBe(401);
    } finally {
      await first.stop();
    }
  });

  it('sends a person only to paths of its own after logging in', async () => {
    const hostile = [
      '/\\evil.example',
      '//evil.example',
      '/\t/evil.example',
      '/\\/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '\\\\evil.example',
      ' //evil.example',
      '',
    ];
    for (const next of hostile) {
      const answer = await login(ui, ui.password, { next });
      expect([next, answer.status, answer.headers.location]).toEqual([next, 303, '/']);
    }
    for (const next of ['/tasks?page=2', '/desktop']) {
      expect((await login(ui, ui.password, { next })).headers.location).toBe(next);
    }
    // In a real browser: logging in from a crafted link ends on the UI itself.
    const page = await browser.newPage();
    try {
      await page.goto(`${ui.url}/login?next=${encodeURIComponent('/\\evil.example')}`);
      await page.getByLabel('Password').fill(ui.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${ui.url}/`);
    } finally {
      await page.close();
    }
  });

  it('answers 413 to an oversized login form and 400 to a malformed path', async () => {
    const oversized = new URLSearchParams({ password: 'x'.repeat(5_000) }).toString();
    for (const chunked of [false, true]) {
      const answer = await rawRequest(ui.url, {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: oversized,
        chunked,
      });
      expect([chunked, answer.status]).toEqual([chunked, 413]);
      expect(answer.body).toMatch(/larger than 4 KB/);
    }
    const huge = await rawRequest(ui.url, {
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: randomBytes(500_000).toString('hex'),
      chunked: true,
    });
    expect(huge.status).toBe(413);
    expect((await login(ui, ui.password)).status).toBe(303);
    for (const path of [
      '/tasks/%E0%A4%A',
      '/api/agent/tasks/%E0%A4%A',
      '/novnc/%E0%A4%A',
      '/%',
      '/tasks/%zz',
    ]) {
      for (const headers of [{ cookie }, {}] as Array<Record<string, string>>) {
        const answer = await rawRequest(ui.url, { path, headers });
        expect([path, answer.status]).toEqual([path, 400]);
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BAD_PATH' } });
      }
    }
  });
});

describe('the pieces behind those checks', () => {
  it('normalises request paths: decodes, resolves dot segments, refuses encoded slashes, backslashes and NUL', () => {
    expect(normaliseRequestTarget('/novnc/core/../core/rfb.js?x=1')).toEqual({
      path: '/novnc/core/rfb.js',
      query: '?x=1',
    });
    expect(normaliseRequestTarget('/novnc/%2e%2e/computer-use')).toEqual({
      path: '/computer-use',
      query: '',
    });
    expect(normaliseRequestTarget('/tasks/a%20b/')).toEqual({ path: '/tasks/a%20b/', query: '' });
    for (const target of [
      '/a/..%2fb',
      '/a%5cb',
      '/a\\b',
      '/a/%00',
      '/..',
      '/a/../..',
      '/%E0%A4%A',
      '*',
      'http://x/',
    ]) {
      expect([target, normaliseRequestTarget(target)]).toEqual([
        target,
        expect.objectContaining({ error: expect.any(String) }),
      ]);
    }
  });

  it("lets through to the agent only a desktop's live view websocket, by a well-formed id", () => {
    expect(desktopWebsockifyPath('/api/agent/desktops/desktop-2/websockify')).toBe(
      '/desktops/desktop-2/websockify',
    );
    expect(desktopWebsockifyPath('/api/agent/desktops/host.lan:9990/websockify')).toBe(
      '/desktops/host.lan:9990/websockify',
    );
    for (const path of [
      '/api/agent/desktops/a%20b/websockify',
      '/api/agent/desktops/-x/websockify',
      '/api/agent/desktops//websockify',
      '/api/agent/desktops/a/b/websockify',
      '/api/agent/desktops/a/websockify/',
      '/api/agent/desktops/a/screenshot',
      '/api/agent/tasks/websockify',
      `/api/agent/desktops/${'a'.repeat(101)}/websockify`,
    ])
      expect([path, desktopWebsockifyPath(path)]).toEqual([path, undefined]);
  });

  it('accepts only same-origin relative paths as where to go after login', () => {
    for (const next of [
      '/\\evil.example',
      '//evil.example',
      '/\t/evil.example',
      'https://evil.example',
      null,
    ])
      expect(safeNext(next)).toBe('/');
    expect(safeNext('/tasks/1?page=2#top')).toBe('/tasks/1?page=2#top');
  });

  it('caps failed logins across all clients too', () => {
    const throttle = new LoginThrottle({ lockSeconds: 60, failuresBeforeLock: 5, failuresPerMinute: 10 });
    const now = 1_000_000;
    for (let client = 0; client < 10; client += 1) {
      expect(throttle.check(`10.0.0.${client}`, now)).toEqual({ allowed: true });
      throttle.recordFailure(`10.0.0.${client}`, now);
    }
    expect(throttle.check('10.0.0.99', now)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(throttle.check('10.0.0.99', now + 6_000)).toEqual({ allowed: true });
  });
});
