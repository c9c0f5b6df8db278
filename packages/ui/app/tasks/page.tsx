import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TasksPage } from '../../components/tasks-page';

export const metadata: Metadata = { title: 'Tasks · Bytebot' };

// The list's state is in the address (useSearchParams), which exists in the browser only.
export default function Tasks() {
  return (
    <Suspense fallback={<p className="muted">Loading tasks…</p>}>
      <TasksPage />
    </Suspense>
  );
}
