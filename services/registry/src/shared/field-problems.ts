import { type FieldIssue, ValidationError } from '@pass/errors';

/** Collects field problems found by domain validation, then throws them together as one 400. */
export class FieldProblems {
  private readonly issues: FieldIssue[] = [];

  add(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /** Throws a `validation_failed` error listing every problem, if there is any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError([...this.issues]);
  }
}
