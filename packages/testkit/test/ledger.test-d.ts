import { describe, expectTypeOf, it } from 'vitest';
import * as mainEntry from '@tootstream/testkit';
import type { ChaosServer } from '@tootstream/testkit';
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
  type ChaosCatchUpItem,
  type ChaosConnection,
  type ChaosConnectionOrderOptions,
  type ChaosEventKind,
  type ChaosLedger,
  type ChaosLedgerJson,
  type ChaosRule,
  type ChaosSeedsOptions,
  type ChaosStreamCounter,
  type ChaosStreamsClosedOptions,
  type ChaosTimelineOptions,
  type ChaosViolation,
} from '@tootstream/testkit/ledger';

declare const ledger: ChaosLedger;
declare const server: ChaosServer;

describe('the ledger entry', () => {
  it('is what the main entry exports under the same names', () => {
    expectTypeOf(mainEntry.checkChaosConnectionOrder).toEqualTypeOf(checkChaosConnectionOrder);
    expectTypeOf(mainEntry.assertNoChaosViolations).toEqualTypeOf(assertNoChaosViolations);
    expectTypeOf(mainEntry.CHAOS_FINAL_MARKER).toEqualTypeOf(CHAOS_FINAL_MARKER);
    expectTypeOf<mainEntry.ChaosLedger>().toEqualTypeOf<ChaosLedger>();
    expectTypeOf<mainEntry.ChaosViolation>().toEqualTypeOf<ChaosViolation>();
    expectTypeOf<mainEntry.ChaosConnection>().toEqualTypeOf<ChaosConnection>();
    expectTypeOf<ChaosServer['ledger']>().toEqualTypeOf<ChaosLedger>();
  });

  it('traces deliveries to tags', () => {
    expectTypeOf<typeof CHAOS_FINAL_MARKER>().toEqualTypeOf<'chaos:final'>();
    expectTypeOf(findChaosTag('')).toEqualTypeOf<string | undefined>();
    expectTypeOf(findChaosTagOfId(ledger, '1')).toEqualTypeOf<string | undefined>();
    expectTypeOf<ChaosLedger['kinds']>().toEqualTypeOf<ReadonlyMap<string, ChaosEventKind>>();
  });
});

describe('checks', () => {
  it('take the ledger and what was delivered, and return violations', () => {
    expectTypeOf(checkChaosConnectionOrder(ledger, ['c0e1', undefined])).toEqualTypeOf<ChaosViolation[]>();
    expectTypeOf(checkChaosConnectionOrder).parameter(2).toEqualTypeOf<ChaosConnectionOrderOptions | undefined>();
    expectTypeOf(checkChaosConnectionOrder(ledger, new Set(['c0e1']), { caughtUpIds: new Set(['1']) })).toEqualTypeOf<ChaosViolation[]>();
    expectTypeOf(checkChaosStatuses(ledger, ['1'], { everyCatchUpSucceeded: true })).toEqualTypeOf<ChaosViolation[]>();
    expectTypeOf(checkChaosNotifications).parameter(2).toEqualTypeOf<ChaosTimelineOptions>();
    expectTypeOf(checkChaosCatchUpOrder).parameter(0).toEqualTypeOf<readonly (readonly ChaosCatchUpItem[])[]>();
    expectTypeOf(countChaosInterruptions(ledger)).toEqualTypeOf<number>();
    // @ts-expect-error whether every catch-up succeeded decides if anything may be missing: it must be said
    checkChaosStatuses(ledger, ['1'], {});
    // @ts-expect-error ids, not events
    checkChaosStatuses(ledger, [{ id: '1' }], { everyCatchUpSucceeded: true });
  });

  it('wait for the streams to close on a live server or a remote counter', () => {
    expectTypeOf(checkChaosStreamsClosed(server)).resolves.toEqualTypeOf<ChaosViolation[]>();
    expectTypeOf(checkChaosStreamsClosed({ openStreams: async () => 0 }, { withinMs: 500 })).resolves.toEqualTypeOf<ChaosViolation[]>();
    expectTypeOf<ChaosServer>().toMatchTypeOf<ChaosStreamCounter>();
    expectTypeOf<ChaosStreamsClosedOptions>().toEqualTypeOf<{ withinMs?: number }>();
  });

  it('report violations by rule, and throw them as one error', () => {
    expectTypeOf<ChaosViolation['rule']>().toEqualTypeOf<ChaosRule>();
    expectTypeOf<'connection-order'>().toMatchTypeOf<ChaosRule>();
    expectTypeOf<'no-such-rule'>().not.toMatchTypeOf<ChaosRule>();
    expectTypeOf(assertNoChaosViolations([], 'seed 1')).toEqualTypeOf<void>();
    expectTypeOf(new ChaosViolationError([])).toMatchTypeOf<Error>();
    expectTypeOf<ChaosViolationError['violations']>().toEqualTypeOf<readonly ChaosViolation[]>();
    expectTypeOf<ChaosViolationError['context']>().toEqualTypeOf<string | undefined>();
  });
});

describe('helpers', () => {
  it('round-trip the ledger through JSON and pick seeds', () => {
    expectTypeOf(chaosLedgerToJson(ledger)).toEqualTypeOf<ChaosLedgerJson>();
    expectTypeOf(chaosLedgerFromJson(chaosLedgerToJson(ledger))).toEqualTypeOf<ChaosLedger>();
    expectTypeOf<ChaosLedgerJson['served']>().toEqualTypeOf<string[]>();
    expectTypeOf(chaosSeeds({ first: 1, count: 2, override: process.env.CHAOS_SEEDS })).toEqualTypeOf<number[]>();
    expectTypeOf(chaosSeeds).parameter(0).toEqualTypeOf<ChaosSeedsOptions>();
    // @ts-expect-error the default range needs its size
    chaosSeeds({ first: 1 });
  });
});
