import type { Metadata } from 'next';
import { DesktopPage } from '../../../components/desktop-page';

export const metadata: Metadata = { title: 'Desktop · Bytebot' };

export default async function Desktop({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DesktopPage id={decodeURIComponent(id)} />;
}
