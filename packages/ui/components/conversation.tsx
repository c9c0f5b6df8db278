'use client';

import type { AgentMessage, StoredToolResultBlock } from '@bytebot/protocol';
import { type ReactNode, type RefObject, useState } from 'react';
import { imageUrl, type ReplayStep } from '../lib/replay-steps';
import { ControlCard, type ControlMoment } from './control-card';
import { ModelText } from './model-text';
import { type OpenedScreenshot, ScreenshotDialog, ScreenshotThumbnail } from './screenshot-dialog';
import { StepCard } from './step-card';

function StepUsage({ usage }: { usage: NonNullable<AgentMessage['usage']> }) {
  return (
    <p className="step-usage" data-step-usage>
      {usage.inputTokens.toLocaleString()} in
      {usage.cacheReadTokens > 0 ? ` (+${usage.cacheReadTokens.toLocaleString()} cached)` : ''} ·{' '}
      {usage.outputTokens.toLocaleString()} out
      {usage.costUsd > 0 ? ` · $${usage.costUsd.toFixed(4)}` : ''}
    </p>
  );
}

/** A tool result whose call is not in the conversation (a summary folded it away): shown on its own. */
function LoneResult({
  block,
  taskId,
  onOpen,
}: {
  block: StoredToolResultBlock;
  taskId: string;
  onOpen: (screenshot: OpenedScreenshot) => void;
}) {
  return (
    <div className={`result ${block.is_error ? 'result-error' : ''}`}>
      {block.content.map((part, index) =>
        part.type === 'text' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a stored result never move.
          <p key={index} className={block.is_error ? 'error' : 'muted'}>
            {part.text}
          </p>
        ) : (
          <ScreenshotThumbnail
            // biome-ignore lint/suspicious/noArrayIndexKey: parts of a stored result never move.
            key={index}
            url={imageUrl(part, taskId)}
            description="A screenshot of the desktop"
            onOpen={onOpen}
          />
        ),
      )}
    </div>
  );
}

/**
 * The task's conversation: what the person said, what the model said (Markdown) and did (one card a step,
 * its result inside), and the moments the desktop changed hands.
 */
export function Conversation({
  messages,
  steps,
  currentStep,
  secretSteps,
  revealSecrets,
  onRevealSecrets,
  controlMoments,
  scroller,
  onReadingScroll,
}: {
  messages: AgentMessage[];
  steps: ReplayStep[];
  /** The step the replay shows, marked in the conversation; undefined when the live desktop is shown. */
  currentStep: number | undefined;
  secretSteps: ReadonlySet<number>;
  /** Whether text taken for a secret is shown; a person toggles it here. */
  revealSecrets: boolean;
  onRevealSecrets: (reveal: boolean) => void;
  controlMoments: ControlMoment[];
  scroller: RefObject<HTMLDivElement | null>;
  /** A person scrolled the conversation themselves (wheel, touch or keys). */
  onReadingScroll: () => void;
}) {
  const [opened, setOpened] = useState<OpenedScreenshot | undefined>();
  const byCall = new Map(steps.map((step) => [step.call.id, step]));

  // Moments the page saw are placed after the last message stored before them.
  const pending = [...controlMoments];
  const momentsUntil = (time: string | undefined): ReactNode[] => {
    const due: ReactNode[] = [];
    while (pending[0] && (time === undefined || (pending[0].at ?? '') <= time)) {
      const moment = pending.shift() as ControlMoment;
      due.push(<ControlCard key={`control-${moment.at}-${moment.control}`} moment={moment} />);
    }
    return due;
  };

  const rendered = messages.map((message) => {
    const before = momentsUntil(message.createdAt);
    const blocks = message.content.flatMap((block, index) => {
      const key = `${message.id}-${index}`;
      switch (block.type) {
        case 'text':
          if (block.text.trim() === '') return [];
          return message.role === 'user'
            ? [
                <p key={key} className="bubble user-text">
                  {block.text}
                </p>,
              ]
            : [<ModelText key={key} text={block.text} />];
        case 'image':
          return [
            <ScreenshotThumbnail
              key={key}
              url={imageUrl(block, message.taskId)}
              description="A screenshot of the desktop"
              onOpen={setOpened}
            />,
          ];
        case 'tool_use': {
          const step = byCall.get(block.id);
          if (!step) return [];
          return [
            <StepCard
              key={key}
              taskId={message.taskId}
              step={step}
              total={steps.length}
              current={currentStep === step.index}
              secret={secretSteps.has(step.index)}
              revealSecrets={revealSecrets}
              onOpen={setOpened}
            />,
          ];
        }
        case 'tool_result':
          // Shown inside its step's card.
          if (byCall.has(block.tool_use_id)) return [];
          return [<LoneResult key={key} block={block} taskId={message.taskId} onOpen={setOpened} />];
        default:
          // The model's reasoning is kept for the provider, not shown.
          return [];
      }
    });
    if (blocks.length === 0 && !message.usage) return before;
    return [
      ...before,
      <div key={message.id} className={`message message-${message.role}`}>
        {blocks}
        {message.usage && <StepUsage usage={message.usage} />}
      </div>,
    ];
  });

  return (
    <>
      {secretSteps.size > 0 && (
        <div className="conversation-tools">
          <button type="button" aria-pressed={revealSecrets} onClick={() => onRevealSecrets(!revealSecrets)}>
            Show typed secrets
          </button>
        </div>
      )}
      <section
        ref={scroller}
        className="conversation"
        aria-label="Conversation"
        data-messages={messages.length}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own; keyboard users scroll it once focused.
        tabIndex={0}
        onWheel={onReadingScroll}
        onTouchMove={onReadingScroll}
        onKeyDown={onReadingScroll}
      >
        {rendered}
        {momentsUntil(undefined)}
      </section>
      <ScreenshotDialog screenshot={opened} onClose={() => setOpened(undefined)} />
    </>
  );
}
