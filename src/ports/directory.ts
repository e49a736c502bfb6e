/** Who belongs to which Slack user group (roles may be granted per group). */
export interface DirectoryPort {
  /** The user-group ids the user belongs to; cached by the adapter. */
  groupsOf(userId: string): Promise<string[]>;
}
