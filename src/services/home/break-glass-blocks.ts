import { REVIEW_ACTION } from '../../core/break-glass.ts';
import type { Caller } from '../../core/command.ts';
import type { HomeBlock, HomeBreakGlassReview } from '../../core/home.ts';
import { mention, md } from '../../core/mrkdwn.ts';
import { roleAtLeast } from '../../core/roles.ts';
import { slackTime } from '../approvals/message.ts';

/** Reviews listed on Home; more are counted (a Home tab holds 100 blocks). */
const HOME_MAX_REVIEWS = 5;

/**
 * Break-glass changes still waiting for a review (issue 23 §2), each with "Acknowledge review" for
 * an operator or admin who is not its actor (the same action id as the review message). Nothing
 * when none is open.
 */
export function reviewBlocks(
  reviews: readonly HomeBreakGlassReview[],
  viewer: Pick<Caller, 'userId' | 'role'>,
): HomeBlock[] {
  if (reviews.length === 0) return [];
  const out: HomeBlock[] = [
    { type: 'divider' },
    { type: 'section', text: `:rotating_light: *Break-glass reviews waiting* (${reviews.length})` },
  ];
  for (const r of reviews.slice(0, HOME_MAX_REVIEWS)) {
    out.push({
      type: 'section',
      text: md`\`${r.commandText}\` in *${r.env}* by ${mention(r.actorId)}, ${slackTime(r.at)}\nReason: ${r.reason}`,
    });
    if (roleAtLeast(viewer.role, 'operator') && viewer.userId !== r.actorId)
      out.push({
        type: 'actions',
        buttons: [{ actionId: REVIEW_ACTION, label: 'Acknowledge review', value: r.id, style: 'primary' }],
      });
  }
  if (reviews.length > HOME_MAX_REVIEWS)
    out.push({ type: 'context', text: `…and ${reviews.length - HOME_MAX_REVIEWS} more.` });
  return out;
}
