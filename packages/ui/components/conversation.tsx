'use client';

import type { AgentMessage, ImageBlock, StoredContentBlock, StoredImageBlock } from '@bytebot/protocol';
import { useState } from 'react';
import { describeToolUse } from '../lib/describe-block';

/** Stored screenshots come from the agent (through the UI server); older messages may still hold them inline. */
function imageUrl(image: ImageBlock | StoredImageBlock, taskId: string): string {
  if (image.source.type === 'file') return `/api/agent/tasks/${taskId}/screenshots/${image.source.id}`;
  return `data:${image.source.media_type};base64,${image.source.data}`;
}

function Screenshot({
  image,
  taskId,
  onOpen,
}: {
  image: ImageBlock | StoredImageBlock;
  taskId: string;
  onOpen: (url: string) => void;
}) {
  const url = imageUrl(image, taskId);
  return (
    <button
      type="button"
      className="thumbnail"
      onClick={() => onOpen(url)}
      aria-label="Open the screenshot full size"
    >
      {/* biome-ignore lint/performance/noImgElement: data URLs of screenshots, nothing for next/image to optimize. */}
      <img src={url} alt="Screenshot of the desktop" loading="lazy" />
    </button>
  );
}

function Block({
  block,
  role,
  taskId,
  onOpen,
}: {
  block: StoredContentBlock;
  role: AgentMessage['role'];
  taskId: string;
  onOpen: (url: string) => void;
}) {
  switch (block.type) {
    case 'text':
      if (block.text.trim() === '') return null;
      return <p className={role === 'user' ? 'bubble user-text' : 'assistant-text'}>{block.text}</p>;
    case 'image':
      return <Screenshot image={block} taskId={taskId} onOpen={onOpen} />;
    case 'tool_use':
      return (
        <p className="action" data-action={block.name}>
          {describeToolUse(block)}
        </p>
      );
    case 'tool_result': {
      const texts = block.content.filter((part) => part.type === 'text').map((part) => part.text);
      const images = block.content.filter((part) => part.type === 'image');
      return (
        <div className={`result ${block.is_error ? 'result-error' : ''}`}>
          {texts.map((text) => (
            <p key={text} className={block.is_error ? 'error' : 'muted'}>
              {text}
            </p>
          ))}
          {images.map((image) => (
            <Screenshot
              key={imageUrl(image, taskId).slice(-64)}
              image={image}
              taskId={taskId}
              onOpen={onOpen}
            />
          ))}
        </div>
      );
    }
  }
}

/** The task's conversation: what the person said, what the model said and did, and what it saw. */
export function Conversation({ messages }: { messages: AgentMessage[] }) {
  const [opened, setOpened] = useState<string | undefined>();
  return (
    <div className="conversation" data-messages={messages.length}>
      {messages.map((message) => (
        <div key={message.id} className={`message message-${message.role}`}>
          {message.content.map((block, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: blocks of a stored message never move.
            <Block key={index} block={block} role={message.role} taskId={message.taskId} onOpen={setOpened} />
          ))}
          {message.usage && (
            <p className="step-usage" data-step-usage>
              {message.usage.inputTokens.toLocaleString()} in
              {message.usage.cacheReadTokens > 0
                ? ` (+${message.usage.cacheReadTokens.toLocaleString()} cached)`
                : ''}{' '}
              · {message.usage.outputTokens.toLocaleString()} out
              {message.usage.costUsd > 0 ? ` · $${message.usage.costUsd.toFixed(4)}` : ''}
            </p>
          )}
        </div>
      ))}
      {opened && (
        <button
          type="button"
          className="lightbox"
          onClick={() => setOpened(undefined)}
          aria-label="Close the screenshot"
        >
          {/* biome-ignore lint/performance/noImgElement: a data URL shown full size. */}
          <img src={opened} alt="Screenshot of the desktop, full size" />
        </button>
      )}
    </div>
  );
}
