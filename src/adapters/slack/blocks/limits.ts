/**
 * Slack's Block Kit and message limits (PROTOCOLS.md §A5, §A6; docs.slack.dev/reference/block-kit).
 * Slack rejects a message that breaks any of them with `invalid_blocks`, so the renderer enforces them.
 */
export const SLACK_LIMITS = {
  /** Blocks per message (100 only in modals / Home tab). */
  blocksPerMessage: 50,
  /** section.text, 1..3000 chars. */
  sectionText: 3000,
  /** section.fields: at most 10 items. */
  fieldsPerSection: 10,
  /** Each section field ≤ 2000 chars. */
  fieldText: 2000,
  /** header plain_text ≤ 150 chars. */
  headerText: 150,
  /** context text element ≤ 3000 chars (same text-object limit as section). */
  contextText: 3000,
  /** Elements in one actions block. */
  actionsPerBlock: 25,
  /** Button label (plain_text) ≤ 75 chars. */
  buttonLabel: 75,
  /** Button value ≤ 2000 chars. */
  buttonValue: 2000,
  /** action_id and block_id ≤ 255 chars. */
  actionId: 255,
  blockId: 255,
  /** image alt_text ≤ 2000 chars; image_url ≤ 3000 chars. */
  imageAlt: 2000,
  imageUrl: 3000,
  /** Confirmation dialog: title ≤ 100, text ≤ 300, confirm/deny ≤ 30. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Modal (views.open): title, submit and close ≤ 24 chars; an input block's label ≤ 2000. */
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  /** Top-level `text`: "best ≤ 4000"; chat.update answers msg_too_long above it. */
  fallbackText: 4000,
} as const;
