'use client';

/** Next's error boundary: a crash in a page shows this instead of a blank screen. */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="card narrow stack" role="alert">
      <h1>Something went wrong on this page</h1>
      <p className="error">{error.message || 'An unexpected error occurred.'}</p>
      <div className="row">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <a className="button secondary" href="/">
          Home
        </a>
      </div>
    </div>
  );
}
