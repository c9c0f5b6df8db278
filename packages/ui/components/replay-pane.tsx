'use client';

import { useEffect, useState } from 'react';
import type { ReplayStep } from '../lib/replay-steps';
import { maskedText, stepDetails } from '../lib/step-details';
import { ActionOverlay, type ScreenSize } from './action-overlay';

/** How long each step stays on screen while playing. */
const playStepMs = 1500;

function describeStep(step: ReplayStep, secret: boolean, revealSecrets: boolean): string {
  const details = stepDetails(step, secret);
  const values = details.chips.map((chip) =>
    chip.secret && !revealSecrets ? maskedText : chip.kind === 'text' ? `“${chip.text}”` : chip.text,
  );
  return [details.label, ...values].join(' · ');
}

/**
 * A finished task, step by step: the screenshot of the step in view with its actions drawn on it, a
 * scrubber over all the steps, and play/pause. The conversation drives it as a person scrolls; the
 * scrubber and play drive it until they scroll again.
 */
export function ReplayPane({
  steps,
  current,
  onSelect,
  screen,
  secretSteps,
  revealSecrets,
}: {
  steps: ReplayStep[];
  current: number;
  onSelect: (index: number) => void;
  /** The desktop's screen, whose pixels the recorded actions are in; the screenshot's own size if unknown. */
  screen: ScreenSize | undefined;
  secretSteps: ReadonlySet<number>;
  revealSecrets: boolean;
}) {
  const [playing, setPlaying] = useState(false);
  const [natural, setNatural] = useState<ScreenSize | undefined>();
  const step = steps[current];
  const last = steps.length - 1;

  useEffect(() => {
    if (!playing) return;
    if (current >= last) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => onSelect(current + 1), playStepMs);
    return () => clearTimeout(timer);
  }, [playing, current, last, onSelect]);

  if (!step) {
    return (
      <div className="replay replay-empty">
        <p className="muted">No steps to replay: the model has not acted on the desktop.</p>
      </div>
    );
  }
  const secret = secretSteps.has(step.index);
  const caption = `Step ${current + 1} of ${steps.length}: ${describeStep(step, secret, revealSecrets)}`;
  const size = screen ?? natural;
  return (
    <div className="replay" data-replay-step={current}>
      <div className="replay-stage">
        {step.screenshot ? (
          <>
            {/* biome-ignore lint/performance/noImgElement: a stored screenshot; next/image has nothing to optimise. */}
            <img
              className="replay-screenshot"
              src={step.screenshot.url}
              alt={`The desktop at step ${current + 1}${step.ownScreenshot ? '' : ' (the last screenshot before it)'}`}
              data-screenshot-file={step.screenshot.file}
              onLoad={(event) =>
                setNatural({
                  width: event.currentTarget.naturalWidth,
                  height: event.currentTarget.naturalHeight,
                })
              }
            />
            {size && (
              <ActionOverlay
                actions={step.actions}
                pointerBefore={step.pointerBefore}
                screen={size}
                hideText={secret && !revealSecrets}
              />
            )}
          </>
        ) : (
          <p className="replay-placeholder">No screenshot yet at this step.</p>
        )}
      </div>
      <p className="replay-caption" aria-live="polite">
        {caption}
      </p>
      <div className="replay-controls">
        <button
          type="button"
          aria-label="Previous step"
          disabled={current === 0}
          onClick={() => onSelect(current - 1)}
        >
          <span aria-hidden="true">‹</span>
        </button>
        <button
          type="button"
          className="play"
          aria-label={playing ? 'Pause the replay' : 'Play the steps'}
          onClick={() => {
            if (!playing && current >= last) onSelect(0);
            setPlaying(!playing);
          }}
        >
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
        </button>
        <button
          type="button"
          aria-label="Next step"
          disabled={current >= last}
          onClick={() => onSelect(current + 1)}
        >
          <span aria-hidden="true">›</span>
        </button>
        <input
          type="range"
          className="scrubber"
          aria-label="Step"
          min={1}
          max={steps.length}
          value={current + 1}
          aria-valuetext={`Step ${current + 1} of ${steps.length}`}
          onChange={(event) => onSelect(Number(event.target.value) - 1)}
        />
        <span className="replay-position" aria-hidden="true">
          {current + 1} / {steps.length}
        </span>
      </div>
    </div>
  );
}
