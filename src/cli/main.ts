/**
 * The smtp-doctor command: dispatches sub-commands. Errors become a clear message and an exit code, never a stack trace.
 * Each command loads only what it uses: `classify` never loads the chat adapters, the logger or the settings, and a
 * built checkout starts from the knowledge snapshot instead of parsing YAML.
 */
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import type { CliIO } from './commands.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: smtp-doctor <command> [options]

  diagnose [TEXT]            diagnose an error text (or stdin)         --lang ja|en  --json
  diagnose --file PATH       diagnose a log, saved error or bounce (.eml) --lang ja|en  --json
  checklist                  the send-failure checklist                --lang ja|en
  chat                       interactive terminal chat
  probe TARGET               test a mail server live                   --port N --timeout MS --json --allow-private
                                                                       --user NAME --password-stdin --lang ja|en --dns IP:PORT
  check TARGET               check a sender domain (SPF, DKIM, DMARC,  --json --dns IP:PORT --selector NAME --lang ja|en
                             MX) or a sending IP (PTR, blocklists)
  classify --jsonl           one {"text": ...} a line in, one JSON answer a line out
  converse --jsonl           one {"conversation": ID, "text": ...} a line in, the bot's answer a line out
  start                      run the bot: Slack/Discord when configured, else the terminal chat
  review [list|show ID|label ID CATEGORY|export]
                             feedback kept by the bot: list, label, export labelled lines as corpus JSONL
  discord-register           register the Discord slash commands (guild with DISCORD_GUILD_ID, else global)
`;

async function loadIndex(): Promise<EngineIndex> {
  const [{ buildIndex }, { readSnapshot }] = await Promise.all([import('../engine/index.js'), import('../knowledge/snapshot.js')]);
  const kb = readSnapshot() ?? (await import('../knowledge/load.js')).loadKnowledge();
  return buildIndex(kb);
}

async function configure(): Promise<Config> {
  const { loadConfig, loadDotEnv } = await import('../config.js');
  loadDotEnv();
  return loadConfig();
}

async function logger(config: Config) {
  return (await import('../log.js')).createLogger(config.logLevel);
}

export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'classify':
        if (!rest.includes('--jsonl')) throw new UsageError('classify: only --jsonl is supported');
        return await (await import('./classify.js')).classifyCommand(await loadIndex(), io.stdin, io.stdout);
      case 'converse': {
        if (!rest.includes('--jsonl')) throw new UsageError('converse: only --jsonl is supported');
        const config = await configure();
        const [index, { Bot }, { converseCommand }] = await Promise.all([loadIndex(), import('../bot/core.js'), import('./converse.js')]);
        return await converseCommand(new Bot(index, { defaultLang: config.defaultLang }), io.stdin, io.stdout);
      }
      case 'diagnose': {
        const config = await configure();
        return await (await import('./commands.js')).diagnoseCommand(await loadIndex(), rest, io, config.defaultLang);
      }
      case 'checklist': {
        const config = await configure();
        return (await import('./commands.js')).checklistCommand(await loadIndex(), rest, io, config.defaultLang);
      }
      case 'chat': {
        const config = await configure();
        const index = await loadIndex();
        const { Bot } = await import('../bot/core.js');
        const { chatCommand } = await import('./commands.js');
        const { probeRunner } = await import('./probe-runner.js');
        const bot = new Bot(index, { defaultLang: config.defaultLang });
        return await chatCommand(bot, io, await probeRunner(config, index), await logger(config));
      }
      case 'discord-register': {
        const config = await configure();
        if (!config.discord) throw new UsageError('discord-register: set DISCORD_TOKEN (and DISCORD_APP_ID, optionally DISCORD_GUILD_ID) first; see docs/discord.md');
        const { registerCommands } = await import('../adapters/discord/register.js');
        const count = await registerCommands(config.discord, await logger(config));
        io.stdout.write(`registered ${count} commands ${config.discord.guildId ? `in guild ${config.discord.guildId}` : 'globally (may take up to an hour to appear)'}\n`);
        return 0;
      }
      case 'probe': {
        const config = await configure();
        // Only the probe's own strings: building the engine's index would cost more than probing a loopback port.
        const [{ probeCommand }, { probeUi }] = await Promise.all([import('./probe.js'), import('../probe/ui-snapshot.js')]);
        return await probeCommand(rest, { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, isTTY: io.stdin.isTTY === true }, {
          config: config.probe,
          ui: await probeUi(),
          lang: config.defaultLang,
        });
      }
      case 'check': {
        const config = await configure();
        const index = await loadIndex();
        const { checkCommand } = await import('./check.js');
        const { limiterFromConfig } = await import('../probe/index.js');
        const { MemoryStore } = await import('../state/memory.js');
        // One command, one user: its limits live as long as the process.
        return await checkCommand(rest, { stdout: io.stdout, stderr: io.stderr }, {
          config: config.probe,
          ui: index.kb.ui,
          entries: index.kb.entries,
          lang: config.defaultLang,
          limiter: limiterFromConfig(config.probe, new MemoryStore()),
        });
      }
      case 'start':
        return await (await import('./start.js')).startCommand(await configure(), await loadIndex(), io);
      case 'review': {
        const config = await configure();
        const [{ openStore }, { reviewCommand }, { StartError }] = await Promise.all([import('../state/index.js'), import('./review.js'), import('./start.js')]);
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
    // By name: the modules that define these errors are loaded only by the commands that can throw them.
    if (err instanceof Error && (err.name === 'KnowledgeError' || err.name === 'ConfigError' || err.name === 'StartError')) {
      io.stderr.write(`smtp-doctor: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

