// What the redemption benchmark reads of the machine (Linux /proc; zeros elsewhere): PostgreSQL's CPU time, the
// machine's busy, stolen and idle time, and this process's own CPU time.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) of every PostgreSQL process on this machine, from /proc (Linux; 0 elsewhere): with it the bench
 * shows what each redemption costs the database, beside what it costs the API and the load generator.
 */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
export function postgresCpuMs(): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime, stime, cutime, cstime (fields 14 to 17 of stat): the children's part is the postmaster's
      // record of backends and autovacuum workers that have exited, which would otherwise vanish from the sum.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}
/** Busy, stolen (by the hypervisor for other guests) and idle jiffies of the whole machine (/proc/stat). */
export interface MachineTimes {
  busy: number;
  steal: number;
  idle: number;
}
export function machineTimes(): MachineTimes {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const steal = fields[7] ?? 0;
    const all = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
    return { busy: all - idle - steal, steal, idle };
  } catch {
    return { busy: 0, steal: 0, idle: 0 };
  }
}
/**
 * How the machine's CPU time went since `before`: busy here (all cores, kernel included), and stolen by the
 * hypervisor for other guests. A run with much stolen time measured a shared host, not the code.
 */
export function machineSince(before: MachineTimes): string {
  const now = machineTimes();
  const busy = now.busy - before.busy;
  const steal = now.steal - before.steal;
  const all = Math.max(1, busy + steal + now.idle - before.idle);
  return `machine ${((100 * busy) / all).toFixed(0)} % busy, ${((100 * steal) / all).toFixed(0)} % stolen`;
}
/** CPU time of this process, every thread included (ms). */
export const ownCpuMs = () => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};
