'use client';

import { useState } from 'react';

/** A read-only value with a copy button; the value stays selectable when the clipboard is unavailable. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="stack">
      <label>
        {label}
        <div className="row">
          <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} style={{ flex: 1 }} />
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(value);
                setCopied(true);
              } catch {
                setCopied(false);
              }
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      </label>
    </div>
  );
}
