'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const links = [
  { href: '/', label: 'New task' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/desktop', label: 'Desktop' },
];

function isCurrent(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function Header() {
  const pathname = usePathname() ?? '/';
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Bytebot
      </Link>
      <nav aria-label="Main">
        {links.map((link) => (
          <Link
            key={link.href}
            href={link.href}
            aria-current={isCurrent(link.href, pathname) ? 'page' : undefined}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      {/* A plain link: /logout is the UI server's, not a page of the app. */}
      <a href="/logout" className="logout">
        Log out
      </a>
    </header>
  );
}
