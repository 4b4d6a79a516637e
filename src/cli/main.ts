/** The smtp-doctor command: dispatches sub-commands. Errors become a clear message and an exit code, never a stack trace. */
// Each command loads only what it needs: a probe of three loopback ports should not pay for building the engine.
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import type { CliIO } from './commands.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: smtp-doctor <command> [options]

  diagnose [TEXT]            diagnose an error text (or stdin)         --lang ja|en  --json
  checklist                  the send-failure checklist                --lang ja|en
  chat                       interactive terminal chat
  probe TARGET               test a mail server live                   --port N --timeout MS --json --allow-private
                                                                       --user NAME --password-stdin --lang ja|en
  classify --jsonl           one {"text": ...} a line in, one JSON answer a line out
  start                      run the bot: Slack/Discord when configured, else the terminal chat
  discord-register           register the Discord slash commands (guild with DISCORD_GUILD_ID, else global)
`;

async function loadIndex(): Promise<EngineIndex> {
  const [{ buildIndex }, { loadKnowledge }] = await Promise.all([import('../engine/index.js'), import('../knowledge/load.js')]);
  return buildIndex(loadKnowledge());
}

async function configure(): Promise<Config> {
  const { loadConfig, loadDotEnv } = await import('../config.js');
  loadDotEnv();
  return loadConfig();
}

export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'classify': {
        if (!rest.includes('--jsonl')) throw new UsageError('classify: only --jsonl is supported');
        const { classifyCommand } = await import('./classify.js');
        return await classifyCommand(await loadIndex(), io.stdin, io.stdout);
      }
      case 'diagnose': {
        const { diagnoseCommand } = await import('./commands.js');
        return await diagnoseCommand(await loadIndex(), rest, io);
      }
      case 'checklist': {
        const { checklistCommand } = await import('./commands.js');
        return checklistCommand(await loadIndex(), rest, io);
      }
      case 'chat': {
        const config = await configure();
        const index = await loadIndex();
        const [{ createLogger }, { Bot }, { chatCommand }, { probeRunner }] = await Promise.all([
          import('../log.js'),
          import('../bot/core.js'),
          import('./commands.js'),
          import('./probe-runner.js'),
        ]);
        const log = createLogger(config.logLevel);
        const bot = new Bot(index, { defaultLang: config.defaultLang });
        return await chatCommand(bot, io, await probeRunner(config, index), log);
      }
      case 'discord-register': {
        const config = await configure();
        const { createLogger } = await import('../log.js');
        if (!config.discord) throw new UsageError('discord-register: set DISCORD_TOKEN (and DISCORD_APP_ID, optionally DISCORD_GUILD_ID) first; see docs/discord.md');
        const { registerCommands } = await import('../adapters/discord/register.js');
        const count = await registerCommands(config.discord, createLogger(config.logLevel));
        io.stdout.write(`registered ${count} commands ${config.discord.guildId ? `in guild ${config.discord.guildId}` : 'globally (may take up to an hour to appear)'}\n`);
        return 0;
      }
      case 'probe': {
        const config = await configure();
        // Only the probe's own strings: building the engine's index would cost more than probing a loopback port.
        const [{ probeCommand }, { loadProbeUi }] = await Promise.all([import('./probe.js'), import('../probe/ui.js')]);
        return await probeCommand(rest, { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, isTTY: io.stdin.isTTY === true }, {
          config: config.probe,
          ui: loadProbeUi(),
          lang: config.defaultLang,
        });
      }
      case 'start': {
        const { startCommand } = await import('./start.js');
        return await startCommand(await configure(), await loadIndex(), io);
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
    // By name: the classes live in modules this command may never have loaded.
    if (err instanceof Error && (err.name === 'KnowledgeError' || err.name === 'ConfigError')) {
      io.stderr.write(`smtp-doctor: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

