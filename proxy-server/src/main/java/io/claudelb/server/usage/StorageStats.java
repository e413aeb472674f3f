package io.claudelb.server.usage;

/**
 * The usage writer's counters, for {@code /metrics} and tests: what was accepted, written and lost, and whether
 * the database answers. Callable from any thread.
 */
public interface StorageStats {
    /** Records accepted and not yet committed (queued, or in the batch being written). */
    int pending();

    /** Records committed to the database since start. */
    long written();

    /** Records lost since start: the queue was full, or shutdown came before the database took them. */
    long dropped();

    /** Batches whose write failed and were kept to be written again. */
    long failedWrites();

    /** False while the database cannot be reached or written. */
    boolean databaseUp();

    /** The queue's bound ({@code storage.queue_capacity}). */
    int capacity();

    /** Counters of a gateway without storage. */
    StorageStats NONE = new StorageStats() {
        @Override
        public int pending() {
            return 0;
        }

        @Override
        public long written() {
            return 0;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public long failedWrites() {
            return 0;
        }

        @Override
        public boolean databaseUp() {
            return false;
        }

        @Override
        public int capacity() {
            return 0;
        }
    };
}
