/** Wrong use of a command: the message is shown with exit code 2, never a stack trace. Its own module so that the
 * dispatcher can recognise it without loading the commands that throw it. */
export class UsageError extends Error {}
