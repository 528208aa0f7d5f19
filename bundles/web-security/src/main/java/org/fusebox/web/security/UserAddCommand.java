package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code fusebox:user-add <name> <role>}: an account in the JAAS realm, its password prompted twice (or given). */
@Command(scope = "fusebox", name = "user-add", description = "Creates an account for the web API and UI with one role: viewer, driver, installer or admin")
@Service
public class UserAddCommand implements Action {

    @Argument(index = 0, name = "name", required = true, description = "user name: letters, digits, . _ @ -")
    String name;

    @Argument(index = 1, name = "role", required = true, description = "viewer, driver, installer or admin")
    String role;

    @Option(name = "--password", description = "the password (otherwise prompted; a password given here stays in the shell's history)")
    String password;

    @Reference
    WebSecurity security;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        Role r = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "': viewer, driver, installer or admin"));
        String pw = password;
        if (pw == null) {
            pw = session.readLine("Password for " + name + ": ", '*');
            String again = session.readLine("Same password again: ", '*');
            if (pw == null || !pw.equals(again)) {
                System.err.println("The passwords differ; no account created.");
                return null;
            }
        }
        security.addAccount(name, pw, r);
        System.out.println("Account " + name + " created with role " + r.id() + ".");
        return null;
    }
}
