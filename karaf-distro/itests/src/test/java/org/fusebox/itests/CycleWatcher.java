package org.fusebox.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;

/** Records every control cycle report while it runs, polling the loop every 20 ms; for tests that judge a stretch of cycles. */
final class CycleWatcher {

    private final List<CycleReport> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final Thread thread;

    private CycleWatcher(ControlLoop loop) {
        thread = new Thread(() -> {
            long last = -1;
            while (watching.get()) {
                CycleReport r = loop.lastCycle().orElse(null);
                if (r != null && r.cycle() != last) {
                    last = r.cycle();
                    seen.add(r);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "itest-cycle-watcher");
    }

    static CycleWatcher start(ControlLoop loop) {
        CycleWatcher w = new CycleWatcher(loop);
        w.thread.start();
        return w;
    }

    void stop() throws InterruptedException {
        watching.set(false);
        thread.join();
    }

    /** The reports seen so far, in cycle order. */
    List<CycleReport> seen() {
        return new ArrayList<>(seen);
    }
}
