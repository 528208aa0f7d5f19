package org.fusebox.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;

/** {@code fusebox:sessions}: the most recent charging sessions with their metered energy and cost. */
@Command(scope = "fusebox", name = "sessions",
        description = "Lists the most recent charging sessions with their metered energy and cost (needs fusebox-sessions)")
@Service
public class SessionsCommand implements Action {

    @Reference(optional = true)
    SessionHistory history;

    @Option(name = "--count", aliases = "-n", description = "How many sessions to show, newest first (default 20)")
    int count = 20;

    @Option(name = "--id-tag", aliases = "-t", description = "Only the sessions of this driver id tag")
    String idTag;

    @Override
    public Object execute() {
        if (history == null) {
            System.out.println(SessionsReport.NOT_INSTALLED);
            return null;
        }
        if (count < 1) {
            System.out.println("--count must be 1 or more, got " + count);
            return null;
        }
        List<ChargingSession> all = idTag == null ? history.sessions(Instant.EPOCH, Instant.MAX)
                : history.sessions(idTag, Instant.EPOCH, Instant.MAX);
        SessionsReport.print(all, count, ZoneId.systemDefault(), System.out);
        return null;
    }
}
