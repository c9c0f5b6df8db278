'use client';

import { NewTaskForm } from './new-task-form';
import { StatusBanners } from './status-banners';
import { TaskList } from './task-list';

export function HomePage() {
  return (
    <div className="home">
      <StatusBanners />
      <h1 className="visually-hidden">New task</h1>
      <NewTaskForm />
      <h2>Recent tasks</h2>
      <TaskList />
    </div>
  );
}
