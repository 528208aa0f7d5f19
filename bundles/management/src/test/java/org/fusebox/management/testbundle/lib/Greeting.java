package org.fusebox.management.testbundle.lib;

/** Exported by a generated library bundle, imported by a generated consumer. */
public final class Greeting {

    private Greeting() {
    }

    public static String text() {
        return "hello";
    }
}
