import { expect } from 'chai';
import { type GenerationRecord, generationProgress } from './generation-progress';

function buildRecord(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    batchId: '00000000-0000-4000-8000-000000000001',
    state: 'running',
    total: 1_000_000,
    generated: 0,
    attempts: 1,
    runStartedAt: new Date('2026-03-01T10:00:00Z'),
    runStartCount: 0,
    lastError: null,
    startedAt: new Date('2026-03-01T10:00:00Z'),
    completedAt: null,
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

describe('generation progress', () => {
  it('estimates the time left from the rate of the current attempt', () => {
    const progress = generationProgress(
      buildRecord({ generated: 250_000 }),
      new Date('2026-03-01T10:00:10Z'),
    );
    expect(progress).to.include({ percent: 25, ratePerSecond: 25_000, etaSeconds: 30 });
  });

  it('does not count passes written by an earlier attempt in the rate of a retry', () => {
    const progress = generationProgress(
      buildRecord({ generated: 600_000, runStartCount: 500_000, attempts: 2 }),
      new Date('2026-03-01T10:00:10Z'),
    );
    expect(progress).to.include({ ratePerSecond: 10_000, etaSeconds: 40, percent: 60 });
  });

  it('has no rate and no ETA before the first chunk, and ETA 0 once completed', () => {
    expect(generationProgress(buildRecord(), new Date('2026-03-01T10:00:05Z'))).to.include({
      ratePerSecond: null,
      etaSeconds: null,
    });
    expect(
      generationProgress(
        buildRecord({ state: 'completed', generated: 1_000_000 }),
        new Date('2026-03-01T10:01:00Z'),
      ),
    ).to.include({ percent: 100, etaSeconds: 0 });
  });
});
