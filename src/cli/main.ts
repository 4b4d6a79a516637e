/** The smtp-doctor command: dispatches sub-commands. Errors become a clear message and an exit code, never a stack trace. */
import { buildIndex, type EngineIndex } from '../engine/index.js';
import { loadKnowledge, KnowledgeError } from '../knowledge/load.js';
import { classifyCommand } from './classify.js';

const USAGE = `usage: smtp-doctor <command> [options]

  diagnose [TEXT]            diagnose an error text (or stdin)         --lang ja|en  --json
  checklist                  the send-failure checklist                --lang ja|en
  chat                       interactive terminal chat
  probe TARGET               test a mail server live                   --port N --timeout MS --json --allow-private
                                                                       --user NAME --password-stdin --lang ja|en
  classify --jsonl           one {"text": ...} a line in, one JSON answer a line out
  start                      run the bot: Slack/Discord when configured, else the terminal chat
`;

function loadIndex(): EngineIndex {
  return buildIndex(loadKnowledge());
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'classify':
        if (!rest.includes('--jsonl')) {
          process.stderr.write('smtp-doctor classify: only --jsonl is supported\n');
          return 2;
        }
        return await classifyCommand(loadIndex(), process.stdin, process.stdout);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`smtp-doctor: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`smtp-doctor: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
