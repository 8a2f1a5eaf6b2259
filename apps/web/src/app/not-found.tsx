import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="card narrow stack">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link href="/">Go to your runs</Link>.
      </p>
    </div>
  );
}
