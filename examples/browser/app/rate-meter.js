// Events per second: one counter per wall-clock second, kept for a minute.
// The figure is the average over the last 10 complete seconds (steadier than
// the last second alone); the sparkline shows all 60.

const SECONDS_KEPT = 60;
const AVERAGE_OVER = 10;

export function createRateMeter(now = () => Date.now()) {
  const buckets = new Map(); // second (epoch s) → events
  let total = 0;

  const currentSecond = () => Math.floor(now() / 1000);

  return {
    record() {
      const second = currentSecond();
      buckets.set(second, (buckets.get(second) ?? 0) + 1);
      total++;
      for (const key of buckets.keys()) if (key <= second - SECONDS_KEPT) buckets.delete(key);
    },
    /** Average events/s over the last complete seconds. */
    perSecond() {
      const last = currentSecond() - 1;
      let sum = 0;
      for (let second = last - AVERAGE_OVER + 1; second <= last; second++) sum += buckets.get(second) ?? 0;
      return sum / AVERAGE_OVER;
    },
    /** Counts of the last 60 seconds, oldest first (the current, incomplete second last). */
    series() {
      const second = currentSecond();
      return Array.from({ length: SECONDS_KEPT }, (_, index) => buckets.get(second - SECONDS_KEPT + 1 + index) ?? 0);
    },
    get total() {
      return total;
    },
  };
}

/**
 * Draws `series` into an SVG <polyline> spanning its <svg>'s viewBox, and sums it up in the <svg>'s aria-label (its
 * text alternative; not a live region, so it is read when reached, not every second).
 */
export function drawSparkline(svg, series) {
  const { width, height } = svg.viewBox.baseVal;
  const peak = Math.max(1, ...series);
  const step = width / (series.length - 1);
  const points = series.map((count, index) => `${(index * step).toFixed(1)},${(height - 2 - (count / peak) * (height - 4)).toFixed(1)}`);
  svg.querySelector('polyline').setAttribute('points', points.join(' '));
  svg.dataset.peak = String(peak);
  const total = series.reduce((sum, count) => sum + count, 0);
  const busiest = Math.max(0, ...series);
  const summary = total === 0 ? 'none' : `${total} events in all, at most ${busiest} in one second`;
  svg.setAttribute('aria-label', `Events per second over the last minute: ${summary}`);
}
