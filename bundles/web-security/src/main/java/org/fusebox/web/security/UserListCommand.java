package org.fusebox.web.security;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code fusebox:user-list}: the realm's accounts and their Fusebox role. */
@Command(scope = "fusebox", name = "user-list", description = "Lists the accounts of the JAAS realm with their Fusebox role")
@Service
public class UserListCommand implements Action {

    @Reference
    WebSecurity security;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("User");
        table.column("Role");
        for (Account a : security.accounts().list()) {
            table.addRow().addContent(a.name(), a.role().map(Role::id).orElse("(none: no web access)"));
        }
        table.print(System.out);
        return null;
    }
}
