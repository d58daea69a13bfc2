package io.cloudelements.operator.bench;

/**
 * The memory of the operator's process (the whole bench process when the operator runs in it), in
 * bytes; -1 where not measured.
 *
 * @param liveHeapAtReady live heap after a full collection, with all resources Ready
 * @param rssAtReady resident set size with all resources Ready
 * @param peakHeapAfterGc the highest heap use right after a collection (in process only)
 * @param liveHeapWithoutOperator live heap once the operator is stopped: the rest of the process
 *     (in process only)
 * @param peakRss the highest resident set size
 * @param benchProcessRss the bench process's resident set size, next to a separate operator process
 */
record MemoryFigures(
    long liveHeapAtReady,
    long rssAtReady,
    long peakHeapAfterGc,
    long liveHeapWithoutOperator,
    long peakRss,
    long benchProcessRss) {

  static final MemoryFigures UNKNOWN = new MemoryFigures(-1, -1, -1, -1, -1, -1);

  /** The figures taken with all resources Ready. */
  record AtReady(long liveHeap, long rss, long benchProcessRss) {}
}
