'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const links = [
  { href: '/', label: 'New task' },
  { href: '/tasks', label: 'Tasks' },
  // /desktop, the UI server's own desktop for manual use, is one of them.
  { href: '/desktops', label: 'Desktops', also: '/desktop' },
];

function isCurrent(link: (typeof links)[number], pathname: string): boolean {
  if (link.href === '/') return pathname === '/';
  return [link.href, link.also].some(
    (href) => href !== undefined && (pathname === href || pathname.startsWith(`${href}/`)),
  );
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
            aria-current={isCurrent(link, pathname) ? 'page' : undefined}
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
