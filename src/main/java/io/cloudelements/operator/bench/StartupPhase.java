package io.cloudelements.operator.bench;

import java.time.Duration;

/**
 * How fast the operator came up, from {@link OperatorUnderTest#origin()}.
 *
 * @param jvmToStackStarted JVM start until the mock API server and the simulator were up
 * @param toOperatorStarted until the operator was started (in process) or its first resource was
 *     Ready (process)
 * @param toFirstReconcile until its first finalizer patch; null when none was seen
 * @param firstResourceApplyToReady apply to Ready of the first resource (of the warm-up, if any);
 *     null if unknown
 * @param warmupReady resources of the warm-up that became Ready
 * @param warmupWall how long the warm-up took; null without one
 * @param operatorPid the operator's process id; -1 in process
 */
record StartupPhase(
    Duration jvmToStackStarted,
    Duration toOperatorStarted,
    Duration toFirstReconcile,
    Duration firstResourceApplyToReady,
    int warmupReady,
    Duration warmupWall,
    long operatorPid) {}
