import { DesktopView } from '../../components/desktop-view';
import { StatusBanners } from '../../components/status-banners';

export default function Desktop() {
  return (
    <div className="desktop-page">
      <StatusBanners />
      <DesktopView interactive title="The desktop, for manual use" />
    </div>
  );
}
