import { type PerformedAction, type Point, readPath, readPoint } from '../lib/replay-steps';
import { maskedText } from '../lib/step-details';

export interface ScreenSize {
  width: number;
  height: number;
}

function arrowHead(from: Point, to: Point, size: number): string {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const side = (turn: number) =>
    `${to.x - size * Math.cos(angle + turn)},${to.y - size * Math.sin(angle + turn)}`;
  return `${side(0.5)} ${to.x},${to.y} ${side(-0.5)}`;
}

const scrollDirections: Record<string, Point> = {
  up: { x: 0, y: -1 },
  down: { x: 0, y: 1 },
  left: { x: -1, y: 0 },
  right: { x: 1, y: 0 },
};

/** A caption along the bottom of the screen: what was typed or pressed. */
function Caption({ text, screen, unit }: { text: string; screen: ScreenSize; unit: number }) {
  const fontSize = unit * 1.6;
  const shown = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  const width = Math.min(screen.width - unit * 2, fontSize * 0.62 * shown.length + unit * 2);
  const y = screen.height - unit * 5;
  return (
    <g className="overlay-caption">
      <rect x={(screen.width - width) / 2} y={y} width={width} height={fontSize * 1.8} rx={unit / 2} />
      <text x={screen.width / 2} y={y + fontSize * 1.25} fontSize={fontSize} textAnchor="middle">
        {shown}
      </text>
    </g>
  );
}

/**
 * The step's desktop actions drawn over its screenshot, in screen pixels (the viewBox is the screen, so
 * a scaled screenshot lines up): where a click landed, the path of a drag or a move, the direction of a
 * scroll, and what was typed or pressed. Decoration for sighted people: the caption under the picture
 * says the same in words.
 */
export function ActionOverlay({
  actions,
  pointerBefore,
  screen,
  hideText,
}: {
  actions: readonly PerformedAction[];
  pointerBefore: Point | undefined;
  screen: ScreenSize;
  hideText: boolean;
}) {
  const unit = Math.max(screen.width, screen.height) / 100;
  let pointer = pointerBefore;
  const marks = actions.map((action, index) => {
    const at = readPoint(action.coordinates) ?? pointer;
    const path = readPath(action.path);
    const from = pointer;
    pointer = readPoint(action.coordinates) ?? path.at(-1) ?? pointer;
    const key = `${index}-${String(action.action)}`;
    switch (action.action) {
      case 'click_mouse':
      case 'press_mouse': {
        if (!at) return null;
        const clicks = typeof action.clickCount === 'number' ? action.clickCount : 1;
        return (
          <g key={key} className="overlay-click">
            {Array.from({ length: Math.max(1, Math.min(clicks, 3)) }, (_, ring) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the rings are drawn in a fixed order.
              <circle key={ring} cx={at.x} cy={at.y} r={unit * (2 + ring * 1.2)} />
            ))}
            <circle className="overlay-dot" cx={at.x} cy={at.y} r={unit * 0.5} />
          </g>
        );
      }
      case 'move_mouse': {
        if (!at) return null;
        return (
          <g key={key} className="overlay-move">
            {from && <line x1={from.x} y1={from.y} x2={at.x} y2={at.y} />}
            <circle className="overlay-dot" cx={at.x} cy={at.y} r={unit * 0.7} />
          </g>
        );
      }
      case 'drag_mouse':
      case 'trace_mouse': {
        const start = path[0];
        const end = path.at(-1);
        const before = path.at(-2);
        if (!start || !end) return null;
        return (
          <g key={key} className="overlay-path">
            <polyline points={path.map((point) => `${point.x},${point.y}`).join(' ')} />
            <circle className="overlay-dot" cx={start.x} cy={start.y} r={unit * 0.7} />
            {before && <polygon points={arrowHead(before, end, unit * 2)} />}
          </g>
        );
      }
      case 'scroll': {
        if (!at) return null;
        const direction = scrollDirections[String(action.direction)] ?? { x: 0, y: 1 };
        const end = { x: at.x + direction.x * unit * 6, y: at.y + direction.y * unit * 6 };
        return (
          <g key={key} className="overlay-path">
            <line x1={at.x} y1={at.y} x2={end.x} y2={end.y} />
            <polygon points={arrowHead(at, end, unit * 2)} />
          </g>
        );
      }
      case 'type_text':
      case 'paste_text':
        return (
          <Caption
            key={key}
            text={hideText ? maskedText : `“${String(action.text ?? '')}”`}
            screen={screen}
            unit={unit}
          />
        );
      case 'type_keys':
      case 'press_keys':
        return (
          <Caption
            key={key}
            text={Array.isArray(action.keys) ? action.keys.join(' + ') : ''}
            screen={screen}
            unit={unit}
          />
        );
      case 'zoom': {
        const region = action.region as { x: number; y: number; width: number; height: number } | undefined;
        if (!region) return null;
        return (
          <rect
            key={key}
            className="overlay-region"
            x={region.x}
            y={region.y}
            width={region.width}
            height={region.height}
          />
        );
      }
      default:
        return null;
    }
  });
  return (
    <svg
      className="action-overlay"
      viewBox={`0 0 ${screen.width} ${screen.height}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {marks}
    </svg>
  );
}
