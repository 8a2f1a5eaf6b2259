/**
 * A clock of this process's CPU seconds (worker threads included) from now on. Other work shares the
 * machine's cores: beside the wall time, it says how much of that time a measurement had.
 */
export function cpuClock(): () => number {
  const started = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1e6;
  };
}
