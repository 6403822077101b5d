// Turns the --stream flag ("public", "public:local", "hashtag:rust", "user",
// "list:42", ...) into the matching @tootstream/core call, so the CLI, the
// demo and the browser dashboard all accept the same spelling.

/** The spellings accepted by --stream, for help texts. */
export const STREAM_CHOICES = [
  'public',
  'public:local',
  'public:remote',
  'public:media',
  'hashtag:<tag>',
  'hashtag:local:<tag>',
  'user',
  'notifications',
  'list:<id>',
  'direct',
];

/**
 * Opens the stream named by `choice` on `client`.
 * @param {import('@tootstream/core').MastodonClient} client
 * @param {string} choice
 * @param {import('@tootstream/core').StreamOptions} options
 * @returns {import('@tootstream/core').MastodonStream}
 */
export function openStream(client, choice, options) {
  const [kind = '', ...rest] = choice.split(':');
  const argument = rest.join(':');
  switch (kind) {
    case 'public':
      if (!['', 'local', 'remote', 'media', 'local:media', 'remote:media'].includes(argument)) break;
      return client.public(
        { local: argument.startsWith('local'), remote: argument.startsWith('remote'), onlyMedia: argument.endsWith('media') },
        options,
      );
    case 'hashtag': {
      const local = argument.startsWith('local:');
      const tag = (local ? argument.slice('local:'.length) : argument).replace(/^#/, '');
      if (tag === '') break;
      return client.hashtag(tag, { local }, options);
    }
    case 'user':
      if (argument === '') return client.user(options);
      if (argument === 'notification') return client.userNotification(options);
      break;
    case 'notifications':
      return client.userNotification(options);
    case 'list':
      if (argument === '') break;
      return client.list(argument, options);
    case 'direct':
      return client.direct(options);
  }
  throw new Error(`Unknown stream "${choice}". Try one of: ${STREAM_CHOICES.join(', ')}`);
}
