import { describe, expect, it } from 'vitest';
import {
  CHAOS_FINAL_MARKER,
  ChaosViolationError,
  assertNoChaosViolations,
  chaosLedgerFromJson,
  chaosLedgerToJson,
  chaosSeeds,
  checkChaosCatchUpOrder,
  checkChaosConnectionOrder,
  checkChaosNotifications,
  checkChaosStatuses,
  checkChaosStreamsClosed,
  countChaosInterruptions,
  findChaosTag,
  findChaosTagOfId,
  type ChaosLedger,
} from '@tootstream/testkit/ledger';

/**
 * A small hand-made ledger: c0 ended cleanly after a status, a delete and a
 * malformed event; c1 was cut after two statuses; then one refusal; c2 is the
 * final connection. Statuses 110 and 120 were posted while nobody listened,
 * 120 after the final status; 110 went out in a catch-up page.
 */
function ledger(): ChaosLedger {
  return {
    connections: [
      { ending: 'end', newline: '\n', written: ['c0e0', 'c0e1', 'c0e2'] },
      { ending: 'drop', newline: '\r\n', written: ['c1e0', 'c1e1'] },
      { ending: 'final', newline: '\r', written: ['c2e0'] },
    ],
    kinds: new Map([
      ['c0e0', 'status'],
      ['c0e1', 'delete'],
      ['c0e2', 'malformed'],
      ['c1e0', 'status'],
      ['c1e1', 'status'],
      ['c2e0', 'status'],
    ]),
    idOfTag: new Map([
      ['c0e0', '100'],
      ['c0e1', '900'],
      ['c1e0', '101'],
      ['c1e1', '102'],
      ['c2e0', '115'],
    ]),
    posted: ['100', '101', '102', '110', '120'],
    served: new Set(['110']),
    postedNotifications: ['1001', '1002', '1003'],
    servedNotifications: new Set(),
    script: ['c0 "\\n" end', 'c1 "\\r\\n" drop', 'refused 503', 'rest min_id=102: 1', 'c2 "\\r" final'],
    finalStatusId: '115',
  };
}

describe('tags', () => {
  it('finds the tag in any text, and the tag of an id a streamed event carried', () => {
    expect(findChaosTag(`<p>tag:c2e5 ${CHAOS_FINAL_MARKER}</p>`)).toBe('c2e5');
    expect(findChaosTag('{"mark":"notag:c1e1"}')).toBeUndefined();
    expect(findChaosTagOfId(ledger(), '900')).toBe('c0e1');
    expect(findChaosTagOfId(ledger(), '110')).toBeUndefined();
  });
});

describe('checkChaosConnectionOrder', () => {
  const all = ['c0e0', 'c0e1', 'c0e2', 'c1e0', 'c1e1', 'c2e0'];

  it('passes each connection whole and in order, skipping untagged entries; a cut one may stop early', () => {
    expect(checkChaosConnectionOrder(ledger(), all)).toEqual([]);
    expect(checkChaosConnectionOrder(ledger(), [undefined, 'c0e0', 'c0e1', undefined, 'c0e2', 'c1e0', 'c2e0'])).toEqual([]);
    expect(checkChaosConnectionOrder(ledger(), ['c0e0', 'c0e1', 'c0e2', 'c2e0'])).toEqual([]);
  });

  it('reports a connection out of order, missing an event, or with an event twice', () => {
    const [reordered] = checkChaosConnectionOrder(ledger(), ['c0e1', 'c0e0', 'c0e2', 'c1e0', 'c1e1', 'c2e0']);
    expect(reordered).toEqual({
      rule: 'connection-order',
      message: 'connection c0 (end): expected ["c0e0","c0e1","c0e2"], got ["c0e1","c0e0","c0e2"]',
      expected: ['c0e0', 'c0e1', 'c0e2'],
      actual: ['c0e1', 'c0e0', 'c0e2'],
    });
    expect(checkChaosConnectionOrder(ledger(), ['c0e0', 'c0e2', 'c1e0', 'c1e1', 'c2e0']).map((violation) => violation.message)).toEqual([
      'connection c0 (end): expected ["c0e0","c0e1","c0e2"], got ["c0e0","c0e2"]',
    ]);
    expect(checkChaosConnectionOrder(ledger(), [...all, 'c2e0'])).toHaveLength(1);
  });

  it('holds a cut connection to a prefix: a hole in it is a violation', () => {
    expect(checkChaosConnectionOrder(ledger(), ['c0e0', 'c0e1', 'c0e2', 'c1e1', 'c2e0']).map((violation) => violation.message)).toEqual([
      'connection c1 (drop): expected ["c1e0","c1e1"] or a prefix of it, got ["c1e1"]',
    ]);
  });

  it('does not expect live what a catch-up delivered first', () => {
    expect(checkChaosConnectionOrder(ledger(), ['c0e0', 'c0e1', 'c0e2', 'c1e1', 'c2e0'], { caughtUpIds: ['101'] })).toEqual([]);
    expect(checkChaosConnectionOrder(ledger(), ['c0e1', 'c0e2', 'c1e0', 'c1e1', 'c2e0'], { caughtUpIds: new Set(['100']) })).toEqual([]);
  });
});

describe('countChaosInterruptions', () => {
  it('counts cut, stalled and overflowed connections and refusals, not clean ends', () => {
    expect(countChaosInterruptions(ledger())).toBe(2);
    const stalled = { ...ledger(), script: [...ledger().script, 'final 401'] };
    stalled.connections = [...stalled.connections, { ending: 'stall', newline: '\n', written: [] }, { ending: 'oversize', newline: '\n', written: [] }];
    expect(countChaosInterruptions(stalled)).toBe(5);
  });
});

describe('checkChaosStatuses', () => {
  const complete = ['100', '101', '102', '110', '115'];

  it('passes exactly the statuses before the final one, what catch-up served and the final one, once each', () => {
    expect(checkChaosStatuses(ledger(), complete, { everyCatchUpSucceeded: true })).toEqual([]);
  });

  it('reports duplicates and invented ids, whatever the catch-ups did', () => {
    const violations = checkChaosStatuses(ledger(), ['100', '100', '555', '115'], { everyCatchUpSucceeded: false });
    expect(violations.map((violation) => [violation.rule, violation.actual])).toEqual([
      ['status-duplicated', ['100']],
      ['status-invented', ['555']],
    ]);
  });

  it('reports missing and impossible statuses only when every catch-up succeeded and the run reached its final status', () => {
    const delivered = ['100', '102', '115', '120'];
    expect(checkChaosStatuses(ledger(), delivered, { everyCatchUpSucceeded: true }).map((violation) => violation.message)).toEqual([
      'statuses missing although every catch-up succeeded: ["101","110"]',
      'statuses the client could not have been given: ["120"]',
    ]);
    expect(checkChaosStatuses(ledger(), delivered, { everyCatchUpSucceeded: false })).toEqual([]);
    expect(checkChaosStatuses({ ...ledger(), finalStatusId: undefined }, ['100'], { everyCatchUpSucceeded: true })).toEqual([]);
  });

  it('counts the final status as posted, and nothing else that was not', () => {
    expect(checkChaosStatuses({ ...ledger(), finalStatusId: undefined }, ['115'], { everyCatchUpSucceeded: false }).map((violation) => violation.rule)).toEqual([
      'status-invented',
    ]);
  });
});

describe('checkChaosNotifications', () => {
  it('expects every notification from the first delivered on, once', () => {
    expect(checkChaosNotifications(ledger(), ['1002', '1003'], { everyCatchUpSucceeded: true })).toEqual([]);
    expect(checkChaosNotifications(ledger(), [], { everyCatchUpSucceeded: true })).toEqual([]);
    expect(checkChaosNotifications(ledger(), ['1001', '1003'], { everyCatchUpSucceeded: true }).map((violation) => [violation.rule, violation.message])).toEqual([
      ['notification-missing', 'notifications missing although every catch-up succeeded: ["1002"]'],
    ]);
    expect(checkChaosNotifications(ledger(), ['1001', '1003'], { everyCatchUpSucceeded: false })).toEqual([]);
  });

  it('reports duplicates and invented ids', () => {
    expect(checkChaosNotifications(ledger(), ['1002', '1002', '1003', '7'], { everyCatchUpSucceeded: false }).map((violation) => violation.rule)).toEqual([
      'notification-duplicated',
      'notification-invented',
    ]);
  });
});

describe('checkChaosCatchUpOrder', () => {
  it('wants each catch-up in creation order; a new catch-up starts over', () => {
    const early = { id: '1001', createdAt: '2025-01-01T00:00:01.000Z' };
    const late = { id: '100', createdAt: '2025-01-01T00:00:02.000Z' };
    expect(checkChaosCatchUpOrder([[early, late], [early]])).toEqual([]);
    expect(checkChaosCatchUpOrder([[early], [late, early]])).toEqual([
      {
        rule: 'catch-up-order',
        message: 'catch-up 1, item 1: 1001 created 2025-01-01T00:00:01.000Z, before 100 (2025-01-01T00:00:02.000Z) ahead of it',
        expected: 'created_at >= "2025-01-01T00:00:02.000Z"',
        actual: early,
      },
    ]);
  });
});

describe('checkChaosStreamsClosed', () => {
  it('waits for the count to reach zero, from a number or a promise', async () => {
    let open = 3;
    expect(await checkChaosStreamsClosed({ openStreams: () => --open })).toEqual([]);
    let remote = 2;
    expect(await checkChaosStreamsClosed({ openStreams: async () => --remote })).toEqual([]);
  });

  it('reports connections still open after the time allowed', async () => {
    expect(await checkChaosStreamsClosed({ openStreams: () => 2 }, { withinMs: 30 })).toEqual([
      { rule: 'streams-left-open', message: '2 streaming connection(s) still open 30 ms after the client was done', expected: 0, actual: 2 },
    ]);
  });
});

describe('assertNoChaosViolations', () => {
  it('returns on none and throws one typed error listing them all', () => {
    expect(() => assertNoChaosViolations([], 'seed 1')).not.toThrow();
    const violations = checkChaosStatuses(ledger(), ['100', '100', '555'], { everyCatchUpSucceeded: false });
    let thrown: unknown;
    try {
      assertNoChaosViolations(violations, 'seed 1: c0 end');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ChaosViolationError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: 'ChaosViolationError', context: 'seed 1: c0 end', violations });
    expect((thrown as Error).message).toBe(
      'seed 1: c0 end: 2 chaos violations\n  status-duplicated: statuses delivered more than once: ["100"]\n  status-invented: statuses the server never posted: ["555"]',
    );
    expect(() => assertNoChaosViolations(violations.slice(0, 1))).toThrow(/^1 chaos violation\n {2}status-duplicated: /);
  });
});

describe('chaosSeeds', () => {
  it('gives the range, or the seeds an override names', () => {
    expect(chaosSeeds({ first: 1000, count: 3 })).toEqual([1000, 1001, 1002]);
    expect(chaosSeeds({ first: 1000, count: 3, override: undefined })).toEqual([1000, 1001, 1002]);
    expect(chaosSeeds({ first: 1000, count: 3, override: ' ' })).toEqual([1000, 1001, 1002]);
    expect(chaosSeeds({ first: 1000, count: 3, override: '1007' })).toEqual([1007]);
    expect(chaosSeeds({ first: 1000, count: 3, override: '1007, 12,' })).toEqual([1007, 12]);
  });

  it('refuses an entry that is not an integer', () => {
    expect(() => chaosSeeds({ first: 0, count: 1, override: '12,x' })).toThrow(new RangeError('chaos seeds "12,x": "x" is not an integer'));
    expect(() => chaosSeeds({ first: 0, count: 1, override: '1.5' })).toThrow(RangeError);
  });
});

describe('chaosLedgerToJson and chaosLedgerFromJson', () => {
  it('carry a ledger through JSON and back, Maps and Sets included', () => {
    const original = ledger();
    const json = JSON.parse(JSON.stringify(chaosLedgerToJson(original)));
    expect(json.kinds.c0e1).toBe('delete');
    expect(json.served).toEqual(['110']);
    expect(chaosLedgerFromJson(json)).toEqual(original);
    const refused = { ...original, finalStatusId: undefined };
    const refusedJson = JSON.parse(JSON.stringify(chaosLedgerToJson(refused)));
    expect(refusedJson).not.toHaveProperty('finalStatusId');
    expect(chaosLedgerFromJson(refusedJson)).toEqual(refused);
  });

  it('copies, so checking never changes the ledger it was given', () => {
    const original = ledger();
    const json = chaosLedgerToJson(original);
    json.connections[0]?.written.push('c0e9');
    json.posted.push('999');
    expect(original.connections[0]?.written).toHaveLength(3);
    expect(original.posted).toHaveLength(5);
  });

  it('refuses what is not a ledger', () => {
    expect(() => chaosLedgerFromJson({ connections: [] } as never)).toThrow(TypeError);
    expect(() => chaosLedgerFromJson(null as never)).toThrow(TypeError);
  });
});
