package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code fusebox:token-revoke <id>}: the token stops working with the next request. */
@Command(scope = "fusebox", name = "token-revoke", description = "Revokes an API token by its id (see fusebox:token-list)")
@Service
public class TokenRevokeCommand implements Action {

    @Argument(index = 0, name = "id", required = true)
    String id;

    @Reference
    WebSecurity security;

    @Override
    public Object execute() {
        System.out.println(security.tokens().revoke(id) ? "Token " + id + " revoked." : "There is no token " + id + ".");
        return null;
    }
}
