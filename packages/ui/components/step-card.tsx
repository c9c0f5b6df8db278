import { imageUrl, type ReplayStep } from '../lib/replay-steps';
import { maskedText, type StepChip, stepDetails, stepSummary } from '../lib/step-details';
import { ControlCard } from './control-card';
import type { OpenedScreenshot } from './screenshot-dialog';
import { ScreenshotThumbnail } from './screenshot-dialog';
import { StepIcon } from './step-icon';

/** The agent's words when a takeover stopped an action, or when an action waited through one. */
const takeoverWords = /a person took control of the desktop/i;

function Chip({ chip, revealed }: { chip: StepChip; revealed: boolean }) {
  const masked = chip.secret && !revealed;
  const text = masked ? maskedText : chip.text;
  return (
    <li className={`chip chip-${chip.kind}${masked ? ' chip-masked' : ''}`} title={chip.name}>
      <span className="visually-hidden">{chip.name}: </span>
      {chip.kind === 'key' ? <kbd>{text}</kbd> : chip.kind === 'text' && !masked ? `“${text}”` : text}
      {masked && <span className="visually-hidden"> (a secret, hidden)</span>}
    </li>
  );
}

/** One tool call as a person reads it: icon, label, values, the agent's line, and what came back. */
export function StepCard({
  taskId,
  step,
  total,
  current,
  secret,
  revealSecrets,
  onOpen,
}: {
  taskId: string;
  step: ReplayStep;
  total: number;
  current: boolean;
  secret: boolean;
  revealSecrets: boolean;
  onOpen: (screenshot: OpenedScreenshot) => void;
}) {
  const details = stepDetails(step, secret);
  const summary = stepSummary(step, secret && !revealSecrets);
  const result = step.result;
  const texts = (result?.content ?? [])
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    // The result of a plain action repeats the step's line; only words that add something are shown.
    .filter((text) => text.replace(/\.$/, '') !== step.call.summary);
  const images = (result?.content ?? []).filter((part) => part.type === 'image');
  const position = `Step ${step.index + 1} of ${total}`;
  return (
    <article
      className={`step${current ? ' step-current' : ''}${result?.is_error ? ' step-error' : ''}`}
      data-step-index={step.index}
      data-action={step.call.name}
      aria-current={current ? 'step' : undefined}
      aria-label={`${position}: ${details.label}`}
    >
      <div className="step-head">
        <StepIcon name={details.icon} />
        <span className="step-label">{details.label}</span>
        {details.chips.length > 0 && (
          <ul className="chips" aria-label="Values">
            {details.chips.map((chip, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a stored step's values never move.
              <Chip key={index} chip={chip} revealed={revealSecrets} />
            ))}
          </ul>
        )}
        <span className="step-number" aria-hidden="true">
          {step.index + 1}
        </span>
      </div>
      <p className="step-summary">{summary}</p>
      {!result && <p className="step-pending">Carrying it out…</p>}
      {texts.map((text) =>
        takeoverWords.test(text) ? (
          <ControlCard key={text} moment={{ control: 'USER', at: undefined }} />
        ) : (
          <p key={text} className={result?.is_error ? 'error step-result' : 'muted step-result'}>
            {result?.is_error && <span className="visually-hidden">Error: </span>}
            {text}
          </p>
        ),
      )}
      {images.map((image) => {
        const url = imageUrl(image, taskId);
        return (
          <ScreenshotThumbnail
            key={url.slice(-64)}
            url={url}
            description={`The desktop after step ${step.index + 1}`}
            onOpen={onOpen}
          />
        );
      })}
    </article>
  );
}
