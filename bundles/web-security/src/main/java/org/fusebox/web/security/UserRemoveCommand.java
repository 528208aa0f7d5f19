package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code fusebox:user-remove <name>}: removes the account and ends its sessions at once. */
@Command(scope = "fusebox", name = "user-remove", description = "Removes an account and ends its sessions")
@Service
public class UserRemoveCommand implements Action {

    @Argument(index = 0, name = "name", required = true)
    String name;

    @Reference
    WebSecurity security;

    @Override
    public Object execute() {
        System.out.println(security.removeAccount(name) ? "Account " + name + " removed." : "There is no account " + name + ".");
        return null;
    }
}
