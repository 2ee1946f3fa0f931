import { CustomsError } from '@customs/errors';

export class JobPayloadInvalidError extends CustomsError {
  constructor(job: string, jobId: string | undefined, problems: string[]) {
    super(
      'JOB_PAYLOAD_INVALID',
      `job ${job}${jobId ? ` ${jobId}` : ''} has invalid data: ${problems.join('; ')}`,
      {
        hint: 'the producer and the worker run different Customs versions; upgrade them together',
      },
    );
  }
}

export class QueueUnavailableError extends CustomsError {
  constructor(what: string, cause: unknown) {
    super('QUEUE_UNAVAILABLE', `could not ${what}: Redis did not answer`, {
      cause,
      hint: 'check REDIS_URL and that Redis is running',
    });
  }
}
