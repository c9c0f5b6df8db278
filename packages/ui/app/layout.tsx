import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Header } from '../components/header';
import './globals.css';

export const metadata: Metadata = {
  title: 'Bytebot',
  description: 'Give a task in plain words; watch an AI carry it out on a real desktop.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to the content
        </a>
        <Header />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
