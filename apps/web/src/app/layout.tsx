import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ApiProvider } from '../components/ApiProvider.tsx';
import { NavBar } from '../features/layout/NavBar.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'argmax',
  description: 'Watch the input that maximises a network output take shape, compare runs and share them.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ApiProvider>
          <NavBar />
          <main className="page">{children}</main>
        </ApiProvider>
      </body>
    </html>
  );
}
