import type { Metadata } from 'next';
import { DesktopsPage } from '../../components/desktops-page';

export const metadata: Metadata = { title: 'Desktops · Bytebot' };

export default function Desktops() {
  return <DesktopsPage />;
}
