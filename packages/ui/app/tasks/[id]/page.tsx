import { TaskPage } from '../../../components/task-page';

export default async function Task({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TaskPage id={id} />;
}
