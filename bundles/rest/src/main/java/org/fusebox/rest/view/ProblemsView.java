package org.fusebox.rest.view;

import java.util.List;

/**
 * The body of an answer that refuses a request for several reasons at once: {@code error} sums them up, as
 * in every error answer, and {@code problems} lists each, so a client can show them all.
 *
 * @param error    what went wrong, for people
 * @param problems every reason the request was refused
 */
public record ProblemsView(String error, List<String> problems) {

    public ProblemsView {
        problems = List.copyOf(problems);
    }

    public static ProblemsView of(String what, List<String> problems) {
        return new ProblemsView(what + ": " + String.join("; ", problems), problems);
    }
}
