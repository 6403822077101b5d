// Type-checked by the packaging step under `moduleResolution: node10` (what `module: commonjs` implies before
// TypeScript 6) and `bundler`-less tools that ignore `exports` (Parcel 2's default): the subpath entry must resolve
// through its folder's package.json, as the root does through `main` and `types`.
import { createClient } from '@tootstream/core';
import { StatusSchema, isKnownNotification } from '@tootstream/core/schemas';
import { Mastodon } from '@tootstream/listener';

export const entries: readonly unknown[] = [createClient, StatusSchema, isKnownNotification, Mastodon];
