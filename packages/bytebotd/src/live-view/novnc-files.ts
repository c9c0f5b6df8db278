import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** The npm package ships noVNC's core library only; its folder holds core/ and vendor/. */
const noVncRoot = dirname(dirname(fileURLToPath(import.meta.resolve('@novnc/novnc'))));
/** Our own viewer page, which loads that library. */
const viewerPage = fileURLToPath(new URL('./vnc.html', import.meta.url));

function resolveFile(pathname: string): string | undefined {
  const relative = decodeURIComponent(pathname.replace(/^\/novnc\/?/, ''));
  if (relative === '' || relative === 'vnc.html' || relative === 'index.html') return viewerPage;
  if (relative.includes('\0')) return undefined;
  const path = normalize(join(noVncRoot, relative));
  // Only the library's own folders: nothing outside them, not even the package's other files.
  const allowed = [join(noVncRoot, 'core') + sep, join(noVncRoot, 'vendor') + sep];
  return allowed.some((folder) => path.startsWith(folder)) && contentTypes[extname(path)] ? path : undefined;
}

/** Serves the live-view page and noVNC's files under /novnc/; answers false when the path is not one of them. */
export function createNoVncHandler() {
  return async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let path: string | undefined;
    try {
      path = resolveFile(pathname);
    } catch {
      return false; // a malformed %-escape names no file
    }
    if (!path) return false;
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) return false;
    response.writeHead(200, {
      'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
      'content-length': stats.size,
      'cache-control': path === viewerPage ? 'no-cache' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    await new Promise<void>((resolvePromise, rejectPromise) => {
      createReadStream(path).on('error', rejectPromise).pipe(response).on('finish', resolvePromise);
    });
    return true;
  };
}
