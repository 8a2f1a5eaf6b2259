export function StatusBadge({ status }: { status: string | null | undefined }) {
  return (
    <span className="badge" data-status={status ?? 'UNKNOWN'} data-testid="run-status">
      {status ? status.toLowerCase() : 'connecting'}
    </span>
  );
}
