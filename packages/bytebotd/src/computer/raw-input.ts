/** Small interfaces under the one stateful Computer class, so each backend can be swapped or measured alone. */
export interface Point {
  x: number;
  y: number;
}

export type MouseButton = 'left' | 'right' | 'middle';
export type ScrollDirection = 'up' | 'down' | 'left' | 'right';

export interface RawMouse {
  move(point: Point): Promise<void>;
  position(): Promise<Point>;
  toggle(button: MouseButton, down: boolean): Promise<void>;
  scroll(direction: ScrollDirection, steps: number): Promise<void>;
}

export interface ScreenSize {
  width: number;
  height: number;
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** A rectangle of the screen in screen pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels as X hands them over: BGRA, 4 bytes a pixel, rows without padding. */
export interface RawFrame {
  data: Buffer;
  width: number;
  height: number;
}

export interface EncodeOptions {
  format: ImageFormat;
  quality?: number | undefined;
  /** Scale to this size; with only one of the two, the aspect ratio is kept. */
  width?: number | undefined;
  height?: number | undefined;
  /** How scaling samples: lanczos3 (smooth, for whole screenshots) unless nearest is asked for. */
  kernel?: 'lanczos3' | 'nearest' | undefined;
}

export interface EncodedImage {
  data: Buffer;
  mediaType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
}

export interface RawScreen {
  size(): Promise<ScreenSize>;
  /** The whole screen, or one region of it (which must lie on the screen). */
  grab(region?: Region): Promise<RawFrame>;
  encode(frame: RawFrame, options: EncodeOptions): Promise<EncodedImage>;
}
