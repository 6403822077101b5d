import { describe, expectTypeOf, it } from 'vitest';
import type { ChaosLedger, ChaosServer, FakeMastodon, RecordedRequest } from '@tootstream/testkit';
import { chaosLedgerFromJson, chaosLedgerToJson, checkChaosStatuses } from '@tootstream/testkit/ledger';

// What the fake hands a test is its own record: the request history every later wait reads, the ledger the chaos
// server keeps writing and its oracle checks against. The types keep a test from changing them by accident.

declare const server: FakeMastodon;
declare const request: RecordedRequest;
declare const chaos: ChaosServer;

describe('recorded requests', () => {
  it('cannot be changed through their type, nested records included', async () => {
    // @ts-expect-error the server fills in the status
    request.status = 200;
    // @ts-expect-error the path the server saw
    request.path = '/api/v1/statuses';
    // @ts-expect-error the query as received
    request.query['limit'] = '40';
    // @ts-expect-error the params as Rails would read them
    request.params['status'] = 'changed';
    // @ts-expect-error the headers as received
    request.headers.authorization = 'Bearer other';
    // @ts-expect-error the request history itself
    server.requests.push(request);
    const awaited = await server.waitForRequest();
    // @ts-expect-error what a wait hands back is a record too
    awaited.body = '';
    expectTypeOf(request.params['status']).toEqualTypeOf<unknown>();
    expectTypeOf(request.query['limit']).toEqualTypeOf<string>();
  });

  it('still go where a mutable shape is read', () => {
    const readHeaders = (headers: { authorization?: string | undefined }): string | undefined => headers.authorization;
    expectTypeOf(readHeaders(request.headers)).toEqualTypeOf<string | undefined>();
    const readQuery = (query: Record<string, string>): number => Object.keys(query).length;
    expectTypeOf(readQuery(request.query)).toEqualTypeOf<number>();
  });
});

describe('the chaos server', () => {
  it('has a url and ledger a test cannot replace or change', () => {
    // @ts-expect-error the server's address
    chaos.url = 'http://elsewhere';
    // @ts-expect-error the ledger the server writes
    chaos.ledger = chaosLedgerFromJson(chaosLedgerToJson(chaos.ledger));
    const { ledger } = chaos;
    // @ts-expect-error what was posted
    ledger.posted.push('1');
    // @ts-expect-error what was served
    ledger.served.add('1');
    // @ts-expect-error what a tag is
    ledger.kinds.set('c0e0', 'status');
    // @ts-expect-error which id a tag carried
    ledger.idOfTag.delete('c0e0');
    // @ts-expect-error the run's end
    ledger.finalStatusId = '1';
    // @ts-expect-error the events a connection was written
    ledger.connections[0]?.written.push('c0e9');
    // @ts-expect-error the connections in order
    ledger.connections.pop();
    // @ts-expect-error how each request was answered
    ledger.script.length = 0;
  });

  it('takes a hand-made mutable ledger in the checks as before', () => {
    const handMade = { connections: [], kinds: new Map(), idOfTag: new Map(), posted: [], served: new Set<string>(), postedNotifications: [], servedNotifications: new Set<string>(), script: [], finalStatusId: undefined };
    expectTypeOf(handMade).toMatchTypeOf<ChaosLedger>();
    expectTypeOf(checkChaosStatuses(handMade, [], { everyCatchUpSucceeded: true })).toBeArray();
  });
});
