'use client';

import { type RefObject, useEffect, useRef } from 'react';

/** The steps' elements carry their index in this attribute. */
export const stepIndexAttribute = 'data-step-index';

/**
 * Which step of the conversation a person is reading, as they scroll: among the steps on screen
 * (an IntersectionObserver keeps that set), the one at the reading line. The line moves with the scroll
 * position, from the top of the visible part at the start to its bottom at the end, so the first and the
 * last steps can both be reached. Works whether the conversation scrolls by itself (wide layout) or with
 * the page (narrow layout).
 */
export function useStepInView(
  container: RefObject<HTMLElement | null>,
  stepCount: number,
  onStep: (index: number) => void,
): void {
  const latest = useRef(onStep);
  latest.current = onStep;

  // stepCount is a dependency: new steps are new elements to observe.
  useEffect(() => {
    const root = container.current;
    if (!root || stepCount === 0) return;
    const visible = new Set<Element>();
    const choose = () => {
      if (visible.size === 0) return;
      const box = root.getBoundingClientRect();
      const top = Math.max(box.top, 0);
      const bottom = Math.min(box.bottom, window.innerHeight);
      const scrollsItself = root.scrollHeight > root.clientHeight + 1;
      const scrolled = scrollsItself ? root.scrollTop : window.scrollY;
      const scrollable = scrollsItself
        ? root.scrollHeight - root.clientHeight
        : document.documentElement.scrollHeight - window.innerHeight;
      const progress = scrollable > 0 ? Math.min(1, Math.max(0, scrolled / scrollable)) : 1;
      const line = top + (bottom - top) * progress;
      let best: { index: number; distance: number } | undefined;
      for (const element of visible) {
        const rect = element.getBoundingClientRect();
        const distance = line < rect.top ? rect.top - line : line > rect.bottom ? line - rect.bottom : 0;
        const index = Number(element.getAttribute(stepIndexAttribute));
        if (!best || distance < best.distance || (distance === best.distance && index > best.index)) {
          best = { index, distance };
        }
      }
      if (best) latest.current(best.index);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) visible.add(entry.target);
          else visible.delete(entry.target);
        }
        choose();
      },
      { threshold: [0, 0.25, 0.5, 0.75, 1] },
    );
    for (const element of root.querySelectorAll(`[${stepIndexAttribute}]`)) observer.observe(element);
    return () => observer.disconnect();
  }, [container, stepCount]);
}
