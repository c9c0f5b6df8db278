import { basename } from 'node:path';
import type { TaskContext } from '../../eval-task.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Opens a file of the home folder in Mousepad and returns once its window is up. */
export async function openInTextEditor(context: TaskContext, path: string): Promise<void> {
  context.launch('mousepad', [`${context.home}/${path}`]);
  await context.waitForWindow(new RegExp(`${escapeRegExp(basename(path))} - Mousepad$`));
}

/** Opens Thunar on a folder of the home folder ('' for the home folder itself). */
export async function openFileManager(context: TaskContext, folder: string): Promise<void> {
  context.launch('thunar', [folder === '' ? context.home : `${context.home}/${folder}`]);
  const name = folder === '' ? basename(context.home) : basename(folder);
  await context.waitForWindow(new RegExp(`^${escapeRegExp(name)} - Thunar$`));
}

/**
 * Preferences of the profile the tasks' Firefox runs in. Without them a fresh profile opens a second tab
 * on Mozilla's privacy notice (unreachable here) and, a few seconds in, slides a data-reporting bar over
 * the page, moving everything the model has just seen.
 */
const firefoxPreferences = [
  ['browser.aboutwelcome.enabled', false],
  ['browser.startup.homepage_override.mstone', 'ignore'],
  ['startup.homepage_welcome_url', ''],
  ['startup.homepage_welcome_url.additional', ''],
  ['datareporting.policy.dataSubmissionEnabled', false],
  ['datareporting.policy.dataSubmissionPolicyBypassNotification', true],
  ['toolkit.telemetry.reportingpolicy.firstRun', false],
  ['browser.shell.checkDefaultBrowser', false],
  ['app.update.auto', false],
  ['browser.translations.automaticallyPopup', false],
  ['network.captive-portal-service.enabled', false],
  ['network.connectivity-service.enabled', false],
  ['extensions.getAddons.cache.enabled', false],
  ['browser.newtabpage.activity-stream.feeds.topsites', false],
  ['browser.urlbar.suggest.quicksuggest.sponsored', false],
  ['signon.rememberSignons', false],
  ['browser.formfill.enable', false],
] as const;

/** A profile's user.js holding those preferences. */
export function firefoxUserJs(): string {
  const lines = firefoxPreferences.map(
    ([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`,
  );
  return `${lines.join('\n')}\n`;
}

export const firefoxProfile = '.eval-firefox-profile';

/**
 * Opens one of the suite's pages in Firefox and returns once the page's own title is in the window's
 * title, i.e. the page has loaded (the window exists well before).
 */
export async function openPageInFirefox(context: TaskContext, path: string, title: string): Promise<void> {
  await context.writeFile(`${firefoxProfile}/user.js`, firefoxUserJs());
  context.launch('firefox-esr', ['--profile', `${context.home}/${firefoxProfile}`, context.pageUrl(path)]);
  await context.waitForWindow(new RegExp(`^${escapeRegExp(title)} . Mozilla Firefox$`), 60_000);
}
