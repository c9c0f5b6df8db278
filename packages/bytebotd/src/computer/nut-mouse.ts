import { Button, mouse, Point as NutPoint } from '@nut-tree-fork/nut-js';
import type { MouseButton, RawMouse, ScrollDirection } from './raw-input.ts';

const nutButtons: Record<MouseButton, Button> = {
  left: Button.LEFT,
  right: Button.RIGHT,
  middle: Button.MIDDLE,
};

/** The mouse through nut-js. Its automatic pause after every event is off: waits are explicit in the actions. */
export function createNutMouse(): RawMouse {
  mouse.config.autoDelayMs = 0;
  return {
    async move(point) {
      await mouse.setPosition(new NutPoint(point.x, point.y));
    },
    async position() {
      const point = await mouse.getPosition();
      return { x: point.x, y: point.y };
    },
    async toggle(button, down) {
      if (down) await mouse.pressButton(nutButtons[button]);
      else await mouse.releaseButton(nutButtons[button]);
    },
    async scroll(direction: ScrollDirection, steps: number) {
      if (direction === 'up') await mouse.scrollUp(steps);
      else if (direction === 'down') await mouse.scrollDown(steps);
      // libnut sends X button 6 (which X means as "left") for its scrollRight and 7 for scrollLeft:
      // swapped here, so "right" reaches applications as right.
      else if (direction === 'left') await mouse.scrollRight(steps);
      else await mouse.scrollLeft(steps);
    },
  };
}
