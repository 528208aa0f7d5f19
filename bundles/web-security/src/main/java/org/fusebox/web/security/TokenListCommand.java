package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code fusebox:token-list}: the API tokens (never the tokens themselves). */
@Command(scope = "fusebox", name = "token-list", description = "Lists the API tokens: id, name, role, created")
@Service
public class TokenListCommand implements Action {

    @Reference
    WebSecurity security;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Role");
        table.column("Created");
        for (ApiToken t : security.tokens().list()) {
            table.addRow().addContent(t.id(), t.name(), t.role().id(), t.created().toString());
        }
        table.print(System.out);
        return null;
    }
}
