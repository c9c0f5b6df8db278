import type { StepIconName } from '../lib/step-details';

/** Line drawings on a 24-unit grid, stroked in the text colour; decoration only (the label says it in words). */
const drawings: Record<StepIconName, string[]> = {
  click: ['M9 3v3', 'M3 9h3', 'M4.8 4.8l2.1 2.1', 'M10 10l10 4-4 2-2 4z'],
  move: ['M5 3l6 15 2-6 6-2z'],
  drag: ['M4 20c4-10 10-12 16-14', 'M15 4l5 2-2 5'],
  scroll: ['M12 3v18', 'M8 7l4-4 4 4', 'M8 17l4 4 4-4'],
  keys: ['M3 7h18v10H3z', 'M7 11h1', 'M11 11h2', 'M16 11h1', 'M8 14h8'],
  type: ['M5 5h14', 'M12 5v14', 'M9 19h6'],
  wait: ['M12 3a9 9 0 1 0 0.01 0', 'M12 7v5l3 2'],
  screenshot: ['M3 7h4l2-3h6l2 3h4v12H3z', 'M12 10a3 3 0 1 0 0.01 0'],
  application: ['M3 4h18v16H3z', 'M3 8h18'],
  file: ['M6 3h8l4 4v14H6z', 'M14 3v4h4'],
  zoom: ['M10 4a6 6 0 1 0 0.01 0', 'M14.5 14.5L20 20', 'M10 7v6', 'M7 10h6'],
  status: ['M5 21V4', 'M5 4h12l-2 4 2 4H5'],
  tool: ['M14 6a4 4 0 0 0 5 5l-9 9-3-3 9-9', 'M14 6l3-3'],
};

export function StepIcon({ name }: { name: StepIconName }) {
  return (
    <svg className="step-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {drawings[name].map((path) => (
        <path key={path} d={path} />
      ))}
    </svg>
  );
}
