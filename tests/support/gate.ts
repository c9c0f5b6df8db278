import type { ScriptStep } from './scripted-anthropic-server.ts';

/** Holds a scripted model answer until the test releases it, so a test can act while the model "thinks". */
export function gate(): {
  step: (inner: ScriptStep) => ScriptStep;
  reached: Promise<void>;
  release: () => void;
} {
  let release = () => {};
  let reach = () => {};
  const released = new Promise<void>((resolvePromise) => {
    release = resolvePromise;
  });
  const reached = new Promise<void>((resolvePromise) => {
    reach = resolvePromise;
  });
  return {
    step: (inner) => async (request) => {
      reach();
      await released;
      return inner(request);
    },
    reached,
    release,
  };
}
