import type { HomeView } from '../core/home.ts';

/** Where a person's Home tab is shown. Slack: views.publish; the shell has none. */
export interface HomePort {
  publish(userId: string, view: HomeView): Promise<void>;
}
