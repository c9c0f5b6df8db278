import { HomePage } from '../components/home-page';

export default function Home() {
  return <HomePage />;
}
