package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.karaf.jaas.config.JaasRealm;
import org.junit.jupiter.api.Test;

class JaasAccountsTest {

    private static JaasRealm realm(String name) {
        return new JaasRealm() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return new AppConfigurationEntry[0];
            }
        };
    }

    @Test
    void isReadyOnlyOnceItsRealmIsThere() {
        Collection<JaasRealm> realms = new ArrayList<>();
        JaasAccounts accounts = new JaasAccounts("karaf", () -> realms, List::of);
        assertThat(accounts.ready()).as("no realm yet: a login now must not count as a failure").isFalse();
        realms.add(realm("other"));
        assertThat(accounts.ready()).isFalse();
        realms.add(realm("karaf"));
        assertThat(accounts.ready()).isTrue();
    }
}
