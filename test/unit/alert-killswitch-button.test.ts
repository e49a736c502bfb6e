import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCommands as commands } from '../../src/catalog.ts';
import { renderAlert } from '../../src/core/alerts/messages.ts';
import { parseCommandText } from '../../src/core/command-line.ts';
import { Registry } from '../../src/core/registry.ts';
import { RUN_ACTION } from '../../src/services/dispatch/dispatcher.ts';
import type { AlertGroup } from '../../src/ports/stores/alerts.ts';
import { alertGroup, testSentryAlert } from '../support/alert-group.ts';

const registry = new Registry(commands);
const NOW = Date.UTC(2026, 10, 29, 12);

const groupTitled = (title: string): AlertGroup => alertGroup(testSentryAlert({ title }), NOW);

/** The command line the alert's "Turn FEATURE_AUTORISEN off" button carries. */
function killSwitchLine(title: string): string {
  const button = renderAlert(groupTitled(title), NOW).buttons?.find(
    (b) => b.actionId === RUN_ACTION && b.value.startsWith('flag off'),
  );
  if (!button) throw new Error('no kill-switch button');
  return button.value;
}

// Exception messages are outside text: whatever they hold, the kill switch on their alert must run
// (a refused or dry-run kill switch in an incident is the failure this guards against).
describe("the alert's kill-switch button parses to exactly `flag off <env>` for any title", () => {
  it('titles that carry quotes and dry-run words', () => {
    for (const title of [
      'ValueError: "--dry-run" is not allowed',
      'Bad input --DRY-RUN “quoted” ‘single’',
      "KeyError: 'dry-run'",
      '<!here> & <b>',
      '😀'.repeat(100),
    ]) {
      const r = parseCommandText(registry, killSwitchLine(title));
      expect(r.ok, `${title}: ${r.ok ? '' : r.error}`).toBe(true);
      if (r.ok) {
        expect(r.command.name).toBe('flag off');
        expect(r.dryRun).toBe(false);
      }
    }
  });

  it('generated titles', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom('--dry-run', '—dry-run', '"', "'", '“', '”', '‘', '’', '--force', '--reason', '\\', '\n'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const r = parseCommandText(registry, killSwitchLine(pieces.join(' ')));
        expect(r.ok ? { name: r.command.name, dryRun: r.dryRun } : r.error).toEqual({
          name: 'flag off',
          dryRun: false,
        });
      }),
      { numRuns: 500 },
    );
  });
});
