/** A row of issuance.generations. */
export interface GenerationRecord {
  batchId: string;
  state: 'pending' | 'running' | 'completed' | 'failed';
  total: number;
  generated: number;
  attempts: number;
  runStartedAt: Date | null;
  runStartCount: number | null;
  lastError: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

/** Progress as the API shows it. */
export interface GenerationProgress {
  state: GenerationRecord['state'];
  generated: number;
  total: number;
  /** 0..100 with one decimal. */
  percent: number;
  /** Passes per second of the current attempt, null until measurable. */
  ratePerSecond: number | null;
  /** Seconds left at that rate, null when unknown; 0 once completed. */
  etaSeconds: number | null;
  attempts: number;
  startedAt: Date | null;
  completedAt: Date | null;
  lastError: string | null;
}

/**
 * Percent, rate and ETA from the stored counters. The rate is measured over the current attempt only
 * (from run_start_count at run_started_at to now), so a retry after a crash does not count the passes
 * written before it as if they had been written in no time.
 */
export function generationProgress(record: GenerationRecord, now: Date): GenerationProgress {
  const percent = record.total === 0 ? 100 : Math.floor((record.generated / record.total) * 1000) / 10;
  let ratePerSecond: number | null = null;
  let etaSeconds: number | null = record.state === 'completed' ? 0 : null;
  if (record.state === 'running' && record.runStartedAt && record.runStartCount !== null) {
    const seconds = (now.getTime() - record.runStartedAt.getTime()) / 1000;
    const written = record.generated - record.runStartCount;
    if (seconds > 0 && written > 0) {
      ratePerSecond = Math.round(written / seconds);
      etaSeconds = Math.ceil((record.total - record.generated) / (written / seconds));
    }
  }
  return {
    state: record.state,
    generated: record.generated,
    total: record.total,
    percent,
    ratePerSecond,
    etaSeconds,
    attempts: record.attempts,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    lastError: record.lastError,
  };
}
