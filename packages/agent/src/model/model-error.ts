/** A provider's failure, after the SDK's own retries: retryable errors may succeed later, others never will. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
