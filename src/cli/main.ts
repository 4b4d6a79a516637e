/** The smtp-doctor command: dispatches sub-commands. Errors become a clear message and an exit code, never a stack trace. */
import { Bot } from '../bot/core.js';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../config.js';
import { buildIndex, type EngineIndex } from '../engine/index.js';
import { KnowledgeError, loadKnowledge } from '../knowledge/load.js';
import { createLogger } from '../log.js';
import { classifyCommand } from './classify.js';
import { chatCommand, checklistCommand, diagnoseCommand, UsageError, type CliIO } from './commands.js';
import { probeRunner } from './probe-runner.js';
import { StartError, startCommand } from './start.js';

const USAGE = `usage: smtp-doctor <command> [options]

  diagnose [TEXT]            diagnose an error text (or stdin)         --lang ja|en  --json
  checklist                  the send-failure checklist                --lang ja|en
  chat                       interactive terminal chat
  probe TARGET               test a mail server live                   --port N --timeout MS --json --allow-private
                                                                       --user NAME --password-stdin --lang ja|en
  classify --jsonl           one {"text": ...} a line in, one JSON answer a line out
  start                      run the bot: Slack/Discord when configured, else the terminal chat
  review [list|show ID|label ID CATEGORY|export]
                             feedback kept by the bot: list, label, export labelled lines as corpus JSONL
  discord-register           register the Discord slash commands (guild with DISCORD_GUILD_ID, else global)
`;

function loadIndex(): EngineIndex {
  return buildIndex(loadKnowledge());
}

function configure(): Config {
  loadDotEnv();
  return loadConfig();
}

export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'classify':
        if (!rest.includes('--jsonl')) throw new UsageError('classify: only --jsonl is supported');
        return await classifyCommand(loadIndex(), io.stdin, io.stdout);
      case 'diagnose':
        return await diagnoseCommand(loadIndex(), rest, io);
      case 'checklist':
        return checklistCommand(loadIndex(), rest, io);
      case 'chat': {
        const config = configure();
        const index = loadIndex();
        const log = createLogger(config.logLevel);
        const bot = new Bot(index, { defaultLang: config.defaultLang });
        return await chatCommand(bot, io, await probeRunner(config, index), log);
      }
      case 'discord-register': {
        const config = configure();
        if (!config.discord) throw new UsageError('discord-register: set DISCORD_TOKEN (and DISCORD_APP_ID, optionally DISCORD_GUILD_ID) first; see docs/discord.md');
        const { registerCommands } = await import('../adapters/discord/register.js');
        const count = await registerCommands(config.discord, createLogger(config.logLevel));
        io.stdout.write(`registered ${count} commands ${config.discord.guildId ? `in guild ${config.discord.guildId}` : 'globally (may take up to an hour to appear)'}\n`);
        return 0;
      }
      case 'probe': {
        const config = configure();
        const index = loadIndex();
        const { probeCommand } = await import('./probe.js');
        return await probeCommand(rest, { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, isTTY: io.stdin.isTTY === true }, {
          config: config.probe,
          ui: index.kb.ui,
          lang: config.defaultLang,
        });
      }
      case 'start':
        return await startCommand(configure(), loadIndex(), io);
      case 'review': {
        const config = configure();
        const { openStore } = await import('../state/index.js');
        const { reviewCommand } = await import('./review.js');
        let store;
        try {
          store = await openStore(config.state);
        } catch (err) {
          throw new StartError(`state store: ${err instanceof Error ? err.message : String(err)}`);
        }
        try {
          return await reviewCommand(store, rest, io);
        } finally {
          await store.close();
        }
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`smtp-doctor: ${err.message}\n`);
      return 2;
    }
    if (err instanceof KnowledgeError || err instanceof ConfigError || err instanceof StartError) {
      io.stderr.write(`smtp-doctor: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

