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
  const open = streamOpener(choice);
  if (open === undefined) throw new Error(`Unknown stream "${choice}". Try one of: ${STREAM_CHOICES.join(', ')}`);
  return open(client, options);
}

/** Whether `choice` names a stream openStream knows (so a CLI can refuse a bad --stream up front). */
export function isStreamChoice(choice) {
  return streamOpener(choice) !== undefined;
}

/** `(client, options) => stream` for `choice`, or undefined when no stream has that name. */
function streamOpener(choice) {
  const [kind = '', ...rest] = choice.split(':');
  const argument = rest.join(':');
  switch (kind) {
    case 'public':
      if (!['', 'local', 'remote', 'media', 'local:media', 'remote:media'].includes(argument)) break;
      return (client, options) =>
        client.public(
          { local: argument.startsWith('local'), remote: argument.startsWith('remote'), onlyMedia: argument.endsWith('media') },
          options,
        );
    case 'hashtag': {
      const local = argument.startsWith('local:');
      const tag = (local ? argument.slice('local:'.length) : argument).replace(/^#/, '');
      if (tag === '') break;
      return (client, options) => client.hashtag(tag, { local }, options);
    }
    case 'user':
      if (argument === '') return (client, options) => client.user(options);
      if (argument === 'notification') return (client, options) => client.userNotification(options);
      break;
    case 'notifications':
      if (argument !== '') break;
      return (client, options) => client.userNotification(options);
    case 'list':
      if (argument === '') break;
      return (client, options) => client.list(argument, options);
    case 'direct':
      if (argument !== '') break;
      return (client, options) => client.direct(options);
  }
  return undefined;
}
