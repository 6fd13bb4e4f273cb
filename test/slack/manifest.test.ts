// manifest.yml is what people paste into Slack: it must pass Slack's own manifest schema, and it
// must declare exactly what the code uses (scopes, events, the command, the shortcut).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { suggestedPrompts } from '../../src/slack/listeners/events/assistant.ts';
import { commandName, shortcutIds } from '../../src/slack/ids.ts';
import { botScopes } from '../../src/slack/scopes.ts';

const specDir = new URL('../../../shared/specs/slack/manifest-schema/', import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, specDir), 'utf8')) as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is checked by the schema, then read freely
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Record<string, any>;

// ajv-formats is CommonJS; its plugin is the module's `default` property.
const addFormats = addFormatsModule.default;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The router schema refers to the versioned schemas by their published URLs; serve the local copies.
  ajv.addSchema(readJson('manifest.schema.1.0.0.json'), 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json');
  ajv.addSchema(readJson('manifest.schema.2.0.0.json'), 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json');
  return ajv.compile(readJson('manifest.schema.json'));
}

describe('manifest.yml', () => {
  it("passes Slack's official manifest schema", () => {
    const validate = validator();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fails the schema when something is wrong, so the check above means something', () => {
    const validate = validator();
    const broken = structuredClone(manifest);
    broken.features.shortcuts[0].name = 'A shortcut name that is far too long for Slack';
    expect(validate(broken)).toBe(false);
    expect(validate(readJson('manifest.valid.json'))).toBe(true);
  });

  it('asks for exactly the bot scopes the code requests at install', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...botScopes].sort());
  });

  it('subscribes to the events the listeners handle and declares the command, shortcut, interactivity and App Home', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      ['app_home_opened', 'app_mention', 'assistant_thread_context_changed', 'assistant_thread_started', 'message.channels', 'message.groups', 'message.im', 'message.mpim'].sort(),
    );
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([commandName]);
    expect(manifest.features.shortcuts.map((s: { callback_id: string; type: string }) => [s.callback_id, s.type])).toEqual([[shortcutIds.reportXeroError, 'message']]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.assistant_view.suggested_prompts).toEqual(suggestedPrompts);
  });
});
