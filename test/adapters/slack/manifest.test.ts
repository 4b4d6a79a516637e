/** The manifest an admin pastes asks for exactly what the app uses: its command, scopes, events, interactivity. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { COMMAND } from '../../../src/adapters/slack/listeners/command.js';
import { DIAGNOSE_MESSAGE_SHORTCUT } from '../../../src/adapters/slack/listeners/diagnose-message-shortcut.js';

interface Manifest {
  features: {
    slash_commands: { command: string }[];
    shortcuts: { type: string; callback_id: string }[];
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = yaml.load(readFileSync(new URL('../../../slack/manifest.yml', import.meta.url), 'utf8'), { schema: yaml.CORE_SCHEMA }) as Manifest;

describe('slack/manifest.yml', () => {
  it('declares the command the app listens to', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
  });

  it('declares the message shortcut the app listens to', () => {
    expect(manifest.features.shortcuts.map((s) => [s.type, s.callback_id])).toEqual([['message', DIAGNOSE_MESSAGE_SHORTCUT]]);
  });

  it('asks for exactly the scopes and events the listeners need', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:read', 'groups:history', 'im:history', 'im:write']);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
  });

  it('enables Socket Mode, interactivity, the Home tab and DMs with the app', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
  });
});
