package io.tapeflow.engine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that compute the other bands of a large product, one per extra core. A band goes straight to an idle
 * helper, not through a queue, and a helper spins for a while after each band before it parks: a training step's next
 * product usually follows within a fraction of a millisecond, and waking a parked thread cost about 30 µs per product
 * (a tenth of W3's epoch, the caller waiting for the second band to start). A caller that finds every helper busy
 * (another job's product) computes the band itself: which thread computes a band never changes its values.
 */
final class BandHelpers {

    /** How long a helper looks for the next band, and a caller for its helpers' results, before parking. */
    private static final long SPIN_NANOS = 200_000;
    private static final long PARK_NANOS = 20_000;

    private final Helper[] helpers;

    BandHelpers(int count) {
        helpers = new Helper[count];
        for (int i = 0; i < count; i++) {
            helpers[i] = new Helper("tapeflow-matmul-" + (i + 1));
            helpers[i].start();
        }
    }

    /**
     * Runs {@code bands[0]} on the calling thread and the others on idle helpers (or on the caller when none is idle);
     * returns once every band is done, even if one failed, so no thread still writes the output afterwards.
     */
    void runAll(Runnable[] bands) {
        Helper[] running = new Helper[bands.length];
        for (int t = 1; t < bands.length; t++) {
            running[t] = claim();
            if (running[t] != null) {
                running[t].begin(bands[t]);
            }
        }
        RuntimeException failure = null;
        for (int t = 0; t < bands.length; t++) {
            if (running[t] == null) {
                try {
                    bands[t].run();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        for (int t = 1; t < bands.length; t++) {
            if (running[t] != null) {
                Throwable f = running[t].await();
                if (f != null && failure == null) {
                    failure = f instanceof RuntimeException r ? r : new IllegalStateException(f);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Helper claim() {
        for (Helper h : helpers) {
            if (h.busy.compareAndSet(false, true)) {
                return h;
            }
        }
        return null;
    }

    private static final class Helper extends Thread {
        /** Owned by one caller from {@link #claim} until {@link #await} returns. */
        final AtomicBoolean busy = new AtomicBoolean();
        private volatile Runnable task;
        private volatile boolean done;
        private volatile Throwable failure;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void begin(Runnable band) {
            failure = null;
            done = false;
            task = band; // published last: the helper sees the fields above and the band's arrays
            LockSupport.unpark(this);
        }

        /** Waits for the band; its failure, if it threw. Frees the helper. */
        Throwable await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (!done) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(PARK_NANOS);
                }
            }
            Throwable f = failure;
            busy.set(false);
            return f;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Runnable band = task;
                if (band != null) {
                    task = null;
                    try {
                        band.run();
                    } catch (Throwable e) {
                        failure = e;
                    }
                    done = true;
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this); // begin() unparks; a permit given before this returns at once
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
