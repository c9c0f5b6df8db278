'use client';

import type { ContentBlock, ImageBlock } from '@bytebot/protocol';
import { useState } from 'react';
import type { MessageView } from '../lib/api';
import { describeToolUse } from '../lib/describe-block';

function imageUrl(image: ImageBlock): string {
  return `data:${image.source.media_type};base64,${image.source.data}`;
}

function Screenshot({ image, onOpen }: { image: ImageBlock; onOpen: (url: string) => void }) {
  const url = imageUrl(image);
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
  onOpen,
}: {
  block: ContentBlock;
  role: MessageView['role'];
  onOpen: (url: string) => void;
}) {
  switch (block.type) {
    case 'text':
      if (block.text.trim() === '') return null;
      return <p className={role === 'user' ? 'bubble user-text' : 'assistant-text'}>{block.text}</p>;
    case 'image':
      return <Screenshot image={block} onOpen={onOpen} />;
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
            <Screenshot key={image.source.data.slice(-32)} image={image} onOpen={onOpen} />
          ))}
        </div>
      );
    }
  }
}

/** The task's conversation: what the person said, what the model said and did, and what it saw. */
export function Conversation({ messages }: { messages: MessageView[] }) {
  const [opened, setOpened] = useState<string | undefined>();
  return (
    <div className="conversation" data-messages={messages.length}>
      {messages.map((message) => (
        <div key={message.id} className={`message message-${message.role}`}>
          {message.content.map((block, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: blocks of a stored message never move.
            <Block key={index} block={block} role={message.role} onOpen={setOpened} />
          ))}
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
