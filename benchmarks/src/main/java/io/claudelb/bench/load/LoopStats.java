package io.claudelb.bench.load;

/**
 * What the connections of one event loop observed: counters and samples, written only from that loop and read
 * after it stopped. {@link #merge} folds several into one report.
 */
final class LoopStats {
    final Samples firstByteMicros = new Samples();
    final Samples firstContentEventMicros = new Samples();
    final Samples gapMicros = new Samples();
    final Samples streamMillis = new Samples();
    long streamsCompleted;
    long streamsInWindow;
    long events;
    long lostEvents;
    long extraEvents;
    long stalls;
    long connectErrors;
    long statusErrors;
    long closedMidStream;
    long timeouts;
    long cutAtEnd;

    void merge(LoopStats other) {
        firstByteMicros.addAll(other.firstByteMicros);
        firstContentEventMicros.addAll(other.firstContentEventMicros);
        gapMicros.addAll(other.gapMicros);
        streamMillis.addAll(other.streamMillis);
        streamsCompleted += other.streamsCompleted;
        streamsInWindow += other.streamsInWindow;
        events += other.events;
        lostEvents += other.lostEvents;
        extraEvents += other.extraEvents;
        stalls += other.stalls;
        connectErrors += other.connectErrors;
        statusErrors += other.statusErrors;
        closedMidStream += other.closedMidStream;
        timeouts += other.timeouts;
        cutAtEnd += other.cutAtEnd;
    }
}
