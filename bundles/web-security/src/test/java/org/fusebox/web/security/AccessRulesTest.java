package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private final AccessRules rules = AccessRules.defaults();

    private Optional<Role> need(String method, String path) {
        return rules.ruleFor(method, path).role();
    }

    @Test
    void healthLoginAndSetupArePublicAndNothingElseIs() {
        assertThat(need("GET", "/fusebox/api/v1/health")).isEmpty();
        assertThat(need("HEAD", "/fusebox/api/v1/health")).isEmpty();
        assertThat(need("POST", "/fusebox/api/v1/auth/login")).isEmpty();
        assertThat(need("POST", "/fusebox/api/v1/auth/setup")).isEmpty();
        // a write to health is not a read: it falls to the admin rule
        assertThat(need("POST", "/fusebox/api/v1/health")).contains(Role.ADMIN);
        assertThat(need("GET", "/fusebox/api/v1/health/more")).contains(Role.VIEWER);
    }

    @Test
    void readsNeedAViewerAnywhere() {
        assertThat(need("GET", "/fusebox/api/v1/site")).contains(Role.VIEWER);
        assertThat(need("GET", "/")).contains(Role.VIEWER);
        assertThat(need("HEAD", "/fusebox/api/v1/bundles")).contains(Role.VIEWER);
        assertThat(need("GET", "/fusebox/api/v1/chargers/cp-1/1/request")).contains(Role.VIEWER);
    }

    @Test
    void chargingRequestsNeedADriverAndEveryOtherWriteAnAdmin() {
        assertThat(need("POST", "/fusebox/api/v1/chargers/cp-1/1/request")).contains(Role.DRIVER);
        assertThat(need("DELETE", "/fusebox/api/v1/chargers/cp-1/1/request")).contains(Role.DRIVER);
        assertThat(need("PUT", "/fusebox/api/v1/chargers/cp-1/1/request")).contains(Role.ADMIN);
        assertThat(need("POST", "/fusebox/api/v1/chargers/cp-1/1/request/x")).contains(Role.ADMIN);
        assertThat(need("POST", "/fusebox/api/v1/configurations")).contains(Role.ADMIN);
        assertThat(need("OPTIONS", "/anything")).contains(Role.ADMIN);
        assertThat(need("POST", "/fusebox/api/v1/auth/tokens")).contains(Role.ADMIN);
        assertThat(need("GET", "/fusebox/api/v1/auth/tokens")).contains(Role.ADMIN);
        assertThat(need("DELETE", "/fusebox/api/v1/auth/tokens/abc")).contains(Role.ADMIN);
    }

    @Test
    void theConfigurationApiIsForInstallersReadsIncluded() {
        assertThat(need("GET", "/fusebox/api/v1/config/configurations")).contains(Role.INSTALLER);
        assertThat(need("PUT", "/fusebox/api/v1/config/configurations/fusebox.core")).contains(Role.INSTALLER);
        assertThat(need("POST", "/fusebox/api/v1/config/rollback/20260301T101500123Z")).contains(Role.INSTALLER);
        assertThat(need("GET", "/fusebox/api/v1/configuration")).contains(Role.VIEWER);
    }

    @Test
    void doubledAndTrailingSlashesDoNotEscapeARule() {
        assertThat(need("POST", "/fusebox//api/v1/chargers/cp-1/1/request/")).contains(Role.DRIVER);
        assertThat(need("GET", "//fusebox/api/v1/health")).isEmpty();
    }

    @Test
    void extraRulesComeFirst() {
        AccessRules withUi = AccessRules.withExtra(List.of("GET,HEAD /fusebox/ui/** public", "PUT /fusebox/api/v1/config/** installer"));
        assertThat(withUi.ruleFor("GET", "/fusebox/ui/index.html").isPublic()).isTrue();
        assertThat(withUi.ruleFor("GET", "/fusebox/ui").isPublic()).isTrue();
        assertThat(withUi.ruleFor("POST", "/fusebox/ui/x").role()).contains(Role.ADMIN);
        assertThat(withUi.ruleFor("PUT", "/fusebox/api/v1/config/fusebox.core").role()).contains(Role.INSTALLER);
    }

    @Test
    void badLinesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> AccessRule.parse("GET /x")).hasMessageContaining("METHODS PATH ROLE");
        assertThatThrownBy(() -> AccessRule.parse("GET x viewer")).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> AccessRule.parse("GET /x/** /y viewer")).hasMessageContaining("METHODS PATH ROLE");
        assertThatThrownBy(() -> AccessRule.parse("GET /x/**/y viewer")).hasMessageContaining("'**' may only end");
        assertThatThrownBy(() -> AccessRule.parse("GET /x root")).hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> AccessRule.parse("G3T /x viewer")).hasMessageContaining("methods");
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        assertThat(Role.ADMIN.includes(Role.INSTALLER)).isTrue();
        assertThat(Role.INSTALLER.includes(Role.DRIVER)).isTrue();
        assertThat(Role.DRIVER.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.DRIVER)).isFalse();
        assertThat(Role.DRIVER.includes(Role.INSTALLER)).isFalse();
        assertThat(Role.INSTALLER.includes(Role.ADMIN)).isFalse();
    }

    @Test
    void onlyPrefixedJaasRolesCount() {
        assertThat(Role.strongestOf(List.of("admin", "viewer", "ssh"))).isEmpty();
        assertThat(Role.strongestOf(List.of("admin", "fusebox-driver", "fusebox-viewer"))).contains(Role.DRIVER);
        assertThat(Role.strongestOf(List.of("fusebox-root"))).isEmpty();
        assertThat(Role.parse("fusebox-installer")).contains(Role.INSTALLER);
        assertThat(Role.ADMIN.jaasName()).isEqualTo("fusebox-admin");
    }
}
