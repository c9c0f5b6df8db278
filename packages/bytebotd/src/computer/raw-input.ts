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

export interface CaptureOptions {
  format: ImageFormat;
  quality?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

export interface EncodedImage {
  data: Buffer;
  mediaType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
}

export interface RawScreen {
  size(): Promise<ScreenSize>;
  capture(options: CaptureOptions): Promise<EncodedImage>;
}
