/** Bad usage of the command line: a clear message and exit code 2, never a stack trace. */
export class UsageError extends Error {}
