import Link from 'next/link';

export function Header() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Bytebot
      </Link>
      <nav>
        <Link href="/">Tasks</Link>
        <Link href="/desktop">Desktop</Link>
      </nav>
      {/* A plain link: /logout is the UI server's, not a page of the app. */}
      <a href="/logout" className="logout">
        Log out
      </a>
    </header>
  );
}
