package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code fusebox:token-create <name> <role>}: an API token for a machine, shown this once. */
@Command(scope = "fusebox", name = "token-create", description = "Creates an API token (Authorization: Bearer ...) for a machine; it is shown once")
@Service
public class TokenCreateCommand implements Action {

    @Argument(index = 0, name = "name", required = true, description = "what the token is for, e.g. home-assistant")
    String name;

    @Argument(index = 1, name = "role", required = true, description = "viewer, driver, installer or admin")
    String role;

    @Reference
    WebSecurity security;

    @Override
    public Object execute() {
        Role r = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "': viewer, driver, installer or admin"));
        ApiTokens.Created created = security.tokens().create(name, r);
        System.out.println("Token " + created.token().id() + " for " + name + " (" + r.id() + "); it is not shown again:");
        System.out.println(created.secret());
        return null;
    }
}
