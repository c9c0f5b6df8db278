import { ConfigurationError } from '@bytebot/config';

/** What `npm start -- ...` was asked for. */
export interface LauncherArguments {
  /** How many desktop+agent pairs to run on this machine (1 to maxDesktops). */
  desktops: number;
  help: boolean;
}

/** Each pair is Xvfb, XFCE, x11vnc, bytebotd and an agent: about 400 MB idle, so 16 already needs 8 GB. */
export const maxDesktops = 16;

export const launcherUsage = [
  'npm start [-- --desktops N]',
  '  --desktops N   run N desktop+agent pairs on this machine (1 to 16, default 1); more than one needs',
  '                 DATABASE_URL and REDIS_URL, which all the pairs share',
].join('\n');

function desktopCount(text: string | undefined): number {
  const value = Number(text);
  if (text !== undefined && /^\d+$/.test(text.trim()) && value >= 1 && value <= maxDesktops) return value;
  throw new ConfigurationError(
    '--desktops',
    `expected a whole number from 1 to ${maxDesktops}, got ${text === undefined ? 'nothing' : `"${text}"`}`,
  );
}

/** Reads the launcher's command line (without node and the script); anything unknown is refused by name. */
export function parseLauncherArguments(argv: readonly string[]): LauncherArguments {
  const parsed: LauncherArguments = { desktops: 1, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--help' || argument === '-h') parsed.help = true;
    else if (argument === '--desktops') {
      index += 1;
      parsed.desktops = desktopCount(argv[index]);
    } else if (argument.startsWith('--desktops=')) parsed.desktops = desktopCount(argument.slice(11));
    else {
      throw new ConfigurationError(argument, `not an option of npm start; usage:\n${launcherUsage}`);
    }
  }
  return parsed;
}
