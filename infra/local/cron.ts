import { Cron } from 'croner';
import type { Job } from '../../shared/routes';

/** The highest value of each of the five fields croner gets (weekdays in Quartz numbering, 1-7). */
const FIELD_MAX = [59, 23, 31, 12, 7];

/**
 * EventBridge Scheduler cron ("min hour dom month dow year", `?` for "no specific value",
 * weekdays 1-7 = SUN-SAT) → a croner pattern: the year field dropped, `?` → `*`, and croner's
 * Quartz weekday numbering (`alternativeWeekdays`) so 1 still means Sunday. EventBridge's
 * "from n every s" (`0/5`) is written as a range for croner, which refuses a bare numeric start
 * (`0-59/5`).
 */
export function toCronerPattern(expression: string): string {
  const inner = /^cron\((.*)\)$/.exec(expression.trim())?.[1] ?? expression.trim();
  const fields = inner.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`"${expression}" is not an EventBridge cron expression (6 fields: min hour dom month dow year)`);
  }
  return fields
    .slice(0, 5)
    .map((f, i) =>
      f === '?'
        ? '*'
        : f
            .split(',')
            .map((part) => part.replace(/^(\d+)\/(\d+)$/, `$1-${FIELD_MAX[i]}/$2`))
            .join(','),
    )
    .join(' ');
}

export const CRONER_OPTIONS = { mode: '5-part', alternativeWeekdays: true } as const;

export interface ScheduledJob {
  name: string;
  pattern: string;
  next(): Date | null;
  stop(): void;
}

/**
 * Run each job on its schedule, in its time zone, in this process. A run that is still busy
 * when the next one is due is skipped (croner's `protect`); a failing run is reported, not fatal.
 */
export function scheduleJobs(
  jobs: readonly Pick<Job, 'name' | 'schedule' | 'timeZone'>[],
  run: (name: string) => Promise<void>,
  onError: (name: string, err: unknown) => void = () => {},
): ScheduledJob[] {
  return jobs.map((job) => {
    const pattern = toCronerPattern(job.schedule);
    const cron = new Cron(
      pattern,
      { ...CRONER_OPTIONS, name: `job:${job.name}`, timezone: job.timeZone, protect: true, catch: (err: unknown) => onError(job.name, err) },
      () => run(job.name),
    );
    return { name: job.name, pattern, next: () => cron.nextRun(), stop: () => cron.stop() };
  });
}
