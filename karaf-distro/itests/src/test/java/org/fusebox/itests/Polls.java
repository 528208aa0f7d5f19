package org.fusebox.itests;

import java.util.function.BooleanSupplier;

/** Waiting in tests that judge a condition themselves (they report what they saw rather than time out). */
final class Polls {

    private Polls() {
    }

    /** Whether {@code condition} holds within {@code millis}, asked every 200 ms and once more at the end. */
    static boolean within(long millis, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            pause(200);
        }
        return condition.getAsBoolean();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
