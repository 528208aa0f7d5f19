package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The gateway as shipped, as an attacker and a first-time user meet it: no default account (karaf/karaf refused,
 * no SSH), every write refused without credentials (401) and with too weak a role (403), reads need a viewer,
 * /health stays public, the one-time setup token creates the first administrator once, cookie writes need the
 * CSRF token, and failed logins are rate limited with 429 and Retry-After. One container, tests in name order;
 * the rate limit comes last because it locks the test's address out.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SecurityIT extends FuseboxKarafTestSupport {

    private static final String API = "/fusebox/api/v1";
    private static final String REQUEST = API + "/chargers/sim-charger-1/1/request";
    private static final String ADMIN = "first-admin";
    private static final String ADMIN_PASSWORD = "a-long-admin-password";
    /** A viewer account written into users.properties in clear before the start; the setup token still comes (no admin). */
    private static final String VIEWER = "vic";
    private static final String VIEWER_PASSWORD = "viewer-password-1";
    private static final String CHARGING_REQUEST = "{\"energyKwh\": 5, \"departure\": \"2099-01-01T00:00:00Z\"}";

    /** Every write of the API and one of a path no servlet serves; none may get past the guard. */
    private static final List<String[]> WRITES = List.of(
            new String[] { "POST", REQUEST },
            new String[] { "DELETE", REQUEST },
            new String[] { "PUT", REQUEST },
            new String[] { "POST", API + "/health" },
            new String[] { "POST", API + "/auth/tokens" },
            new String[] { "DELETE", API + "/auth/tokens/abc" },
            new String[] { "POST", API + "/configurations" },
            new String[] { "PUT", "/fusebox/anything-new" });

    @Configuration
    public Option[] config() {
        return withOptions(distributionWithoutAccounts(),
                editConfigurationFilePut(USERS_PROPERTIES, VIEWER, VIEWER_PASSWORD + ",fusebox-viewer"));
    }

    private int port() {
        return httpPort();
    }

    private void apiUp() {
        waitFor("GET /health answering", () -> {
            int s = Http.send(port(), "GET", API + "/health", null, null).status();
            return s == 200 || s == 503;
        });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void a_thereAreNoDefaultCredentials() throws Exception {
        apiUp();
        Http.Response karaf = Http.send(port(), "POST", API + "/auth/login", "application/json", Http.loginBody("karaf", "karaf"));
        assertEquals(karaf.body(), 401, karaf.status());
        Http.Response basic = Http.send(port(), "GET", API + "/site", null, null, "Authorization", basic("karaf", "karaf"));
        assertEquals(basic.body(), 401, basic.status());

        String users = Files.readString(Path.of(bundleContext.getProperty("karaf.etc"), "users.properties"));
        assertFalse(users, users.lines().anyMatch(l -> l.matches("\\s*karaf\\s*=.*")));
        // the passwords in the file are hashed by the gateway, never kept in clear
        waitFor("vic's password hashed in users.properties", () -> {
            try {
                return Files.readString(Path.of(bundleContext.getProperty("karaf.etc"), "users.properties"))
                        .lines().anyMatch(l -> l.matches(VIEWER + "\\s*=\\s*\\{CRYPT\\}pbkdf2-sha256:.*"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertFalse(Files.readString(Path.of(bundleContext.getProperty("karaf.etc"), "users.properties")).contains(VIEWER_PASSWORD));

        // no remote console: no SSH bundle, nothing on Karaf's SSH port
        assertFalse(bundleReport(), bundle("org.apache.karaf.shell.ssh").isPresent());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 8101), 2000);
            throw new AssertionError("something listens on 8101, Karaf's SSH port");
        } catch (ConnectException expected) {
            // refused: there is no SSH server
        }
    }

    @Test
    public void b_everyWriteAndEveryReadIsRefusedWithoutCredentialsButHealth() {
        apiUp();
        for (String[] w : WRITES) {
            Http.Response r = Http.send(port(), w[0], w[1], "application/json", CHARGING_REQUEST);
            assertEquals(w[0] + " " + w[1] + ": " + r.body(), 401, r.status());
            assertTrue(w[0] + " " + w[1], r.header("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertTrue(r.body(), r.body().contains("authentication required"));
        }
        for (String path : List.of(API + "/site", API + "/bundles", API + "/stream", API + "/configurations", API + "/features",
                REQUEST, API + "/auth/me", "/nothing/here")) {
            Http.Response r = Http.send(port(), "GET", path, null, null);
            assertEquals(path + ": " + r.body(), 401, r.status());
        }
        // a public path with a way out of it is judged by where it leads (or refused by Jetty as ambiguous)
        for (String path : List.of(API + "/health/../site", API + "/health/%2e%2e/site", API + "/health;x=1/../site")) {
            Http.Response r = Http.send(port(), "GET", path, null, null);
            assertTrue(path + ": " + r.status() + " " + r.body(), r.status() == 401 || r.status() == 400);
        }
        // the web UI's files and the redirect to them are public (the login page must load); they carry no data
        Http.Response root = Http.send(port(), "GET", "/", null, null);
        assertEquals(root.body(), 302, root.status());
        assertTrue(root.header("Location").orElse(""), root.header("Location").orElse("").endsWith("/fusebox/ui/"));
        assertEquals(200, Http.send(port(), "GET", "/fusebox/ui/", null, null).status());
        Http.Response health = Http.send(port(), "GET", API + "/health", null, null);
        assertTrue(health.body(), health.status() == 200 || health.status() == 503);
        assertTrue(health.body(), health.body().contains("\"status\""));
        assertFalse(health.body(), health.body().contains("{CRYPT}") || health.body().contains("fbx_"));
    }

    @Test
    public void c_theSetupTokenCreatesTheFirstAdministratorOnce() throws Exception {
        apiUp();
        Path log = Path.of(bundleContext.getProperty("karaf.data"), "log", "karaf.log");
        String token = setupToken(log);

        Http.Response wrong = Http.send(port(), "POST", API + "/auth/setup", "application/json", setupBody("not-the-token"));
        assertEquals(wrong.body(), 401, wrong.status());

        Http.Response weak = Http.send(port(), "POST", API + "/auth/setup", "application/json",
                "{\"token\": \"" + token + "\", \"username\": \"" + ADMIN + "\", \"password\": \"short\"}");
        assertEquals(weak.body(), 400, weak.status());

        Http.Response ok = Http.send(port(), "POST", API + "/auth/setup", "application/json", setupBody(token));
        assertEquals(ok.body(), 201, ok.status());
        Http.Response again = Http.send(port(), "POST", API + "/auth/setup", "application/json", setupBody(token));
        assertEquals(again.body(), 409, again.status());
        Http.Response another = Http.send(port(), "POST", API + "/auth/setup", "application/json",
                "{\"token\": \"" + token + "\", \"username\": \"second\", \"password\": \"another-long-password\"}");
        assertEquals(another.body(), 409, another.status());

        Http.Login admin = Http.login(port(), ADMIN, ADMIN_PASSWORD);
        assertNotNull("the new administrator cannot log in", admin);
        String cookie = admin.response().header("Set-Cookie").orElseThrow();
        assertTrue(cookie, cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age="));
        assertFalse("Secure over plain HTTP would drop the cookie: " + cookie, cookie.contains("Secure"));
        Http.Response me = Http.send(port(), "GET", API + "/auth/me", null, null, "Cookie", admin.cookie());
        assertEquals(me.body(), 200, me.status());
        assertEquals(me.body(), Optional.of("admin"), Http.field(me.body(), "role"));
        assertEquals(me.body(), Optional.of(admin.csrfToken()), Http.field(me.body(), "csrfToken"));
    }

    private static String setupBody(String token) {
        return "{\"token\": \"" + token + "\", \"username\": \"" + ADMIN + "\", \"password\": \"" + ADMIN_PASSWORD + "\"}";
    }

    private static String setupToken(Path log) {
        Pattern p = Pattern.compile("\"token\": \"([A-Za-z0-9_-]{32})\"");
        String[] found = new String[1];
        waitFor("the setup token in " + log, () -> {
            try {
                Matcher m = p.matcher(Files.readString(log));
                String last = null;
                while (m.find()) {
                    last = m.group(1);
                }
                found[0] = last;
                return last != null;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return found[0];
    }

    @Test
    public void d_cookieWritesNeedTheCsrfToken() {
        Http.Login admin = Http.login(port(), ADMIN, ADMIN_PASSWORD);
        assertNotNull(admin);
        String body = "{\"name\": \"csrf-test\", \"role\": \"viewer\"}";
        Http.Response none = Http.send(port(), "POST", API + "/auth/tokens", "application/json", body, "Cookie", admin.cookie());
        assertEquals(none.body(), 403, none.status());
        assertTrue(none.body(), none.body().contains("X-CSRF-Token"));
        Http.Response wrong = Http.send(port(), "POST", API + "/auth/tokens", "application/json", body, "Cookie", admin.cookie(),
                "X-CSRF-Token", "guessed");
        assertEquals(wrong.body(), 403, wrong.status());
        Http.Login other = Http.login(port(), ADMIN, ADMIN_PASSWORD);
        Http.Response otherSessions = Http.send(port(), "POST", API + "/auth/tokens", "application/json", body, "Cookie", admin.cookie(),
                "X-CSRF-Token", other.csrfToken());
        assertEquals(otherSessions.body(), 403, otherSessions.status());
        Http.Response right = Http.send(port(), "POST", API + "/auth/tokens", "application/json", body, "Cookie", admin.cookie(),
                "X-CSRF-Token", admin.csrfToken());
        assertEquals(right.body(), 201, right.status());

        // after logout the cookie is worth nothing
        Http.Response out = Http.send(port(), "POST", API + "/auth/logout", null, null, "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrfToken());
        assertEquals(out.body(), 204, out.status());
        assertEquals(401, Http.send(port(), "GET", API + "/site", null, null, "Cookie", admin.cookie()).status());
    }

    @Test
    public void e_tooWeakARoleGets403AndReadsNeedAViewer() {
        Http.Login admin = Http.login(port(), ADMIN, ADMIN_PASSWORD);
        String viewerToken = createToken(admin, "viewer-machine", "viewer");
        String driverToken = createToken(admin, "driver-machine", "driver");
        String installerToken = createToken(admin, "installer-machine", "installer");

        // a viewer reads ...
        Http.Response site = Http.send(port(), "GET", API + "/site", null, null, "Authorization", "Bearer " + viewerToken);
        assertTrue(site.status() + " " + site.body(), site.status() == 200 || site.status() == 503);
        Http.Response bundles = Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", "Bearer " + viewerToken);
        assertEquals(bundles.body(), 200, bundles.status());
        // ... and writes nothing
        for (String[] w : WRITES) {
            Http.Response r = Http.send(port(), w[0], w[1], "application/json", CHARGING_REQUEST, "Authorization", "Bearer " + viewerToken);
            assertEquals(w[0] + " " + w[1] + ": " + r.body(), 403, r.status());
        }
        // the viewer account from users.properties, over HTTP Basic: the same
        Http.Response vicReads = Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", basic(VIEWER, VIEWER_PASSWORD));
        assertEquals(vicReads.body(), 200, vicReads.status());
        Http.Response vicWrites = Http.send(port(), "POST", REQUEST, "application/json", CHARGING_REQUEST, "Authorization", basic(VIEWER, VIEWER_PASSWORD));
        assertEquals(vicWrites.body(), 403, vicWrites.status());
        assertTrue(vicWrites.body(), vicWrites.body().contains("needs the role driver"));

        // a driver reaches the charging request (which the API then judges: the simulated EV may not be plugged in)
        Http.Response driverPost = Http.send(port(), "POST", REQUEST, "application/json", CHARGING_REQUEST, "Authorization", "Bearer " + driverToken);
        assertNotEquals(driverPost.body(), 401, driverPost.status());
        assertNotEquals(driverPost.body(), 403, driverPost.status());
        // but neither a driver nor an installer manages tokens
        for (String t : List.of(driverToken, installerToken)) {
            Http.Response r = Http.send(port(), "POST", API + "/auth/tokens", "application/json", "{\"name\": \"x\", \"role\": \"admin\"}",
                    "Authorization", "Bearer " + t);
            assertEquals(r.body(), 403, r.status());
        }

        // a revoked token stops working at once
        String id = viewerToken.substring("fbx_".length(), viewerToken.indexOf('.'));
        Http.Response revoked = Http.send(port(), "DELETE", API + "/auth/tokens/" + id, null, null, "Cookie", admin.cookie(),
                "X-CSRF-Token", admin.csrfToken());
        assertEquals(revoked.body(), 204, revoked.status());
        assertEquals(401, Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", "Bearer " + viewerToken).status());
        // and the file holds no token, only hashes
        try {
            String tokens = Files.readString(Path.of(bundleContext.getProperty("karaf.etc"), "fusebox", "api-tokens.properties"));
            assertFalse(tokens, tokens.contains(driverToken.substring(driverToken.indexOf('.') + 1)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String createToken(Http.Login admin, String name, String role) {
        Http.Response r = Http.send(port(), "POST", API + "/auth/tokens", "application/json",
                "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}", "Cookie", admin.cookie(), "X-CSRF-Token", admin.csrfToken());
        assertEquals(r.body(), 201, r.status());
        return Http.field(r.body(), "token").orElseThrow();
    }

    @Test
    public void f_httpsServesTheCertificateTheGatewayMadeOnItsFirstStart() throws Exception {
        Path etc = Path.of(bundleContext.getProperty("karaf.etc"));
        Path p12 = etc.resolve("fusebox/tls/gateway.p12");
        Path passwordFile = etc.resolve("secrets/fusebox-tls.password");
        waitFor("the generated keystore", () -> Files.exists(p12));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));

        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            keystore.load(in, Files.readString(passwordFile).trim().toCharArray());
        }
        X509Certificate cert = (X509Certificate) keystore.getCertificate("fusebox");
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        String log = Files.readString(Path.of(bundleContext.getProperty("karaf.data"), "log", "karaf.log"));
        assertTrue("the fingerprint is logged", log.contains("Generated a self-signed certificate") && log.contains(fingerprint));

        // trust exactly that certificate: the handshake (and the host name check against its 127.0.0.1) must pass
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();

        Http.Response[] health = new Http.Response[1];
        waitFor("HTTPS answering", () -> {
            health[0] = Http.send("https", httpsPort(), "GET", API + "/health", null, null, client);
            return health[0].status() == 200 || health[0].status() == 503;
        });
        Http.Response anonymous = Http.send("https", httpsPort(), "GET", API + "/site", null, null, client);
        assertEquals(anonymous.body(), 401, anonymous.status());
        Http.Response login = Http.send("https", httpsPort(), "POST", API + "/auth/login", "application/json",
                Http.loginBody(ADMIN, ADMIN_PASSWORD), client);
        assertEquals(login.body(), 200, login.status());
        assertTrue("the cookie is Secure over HTTPS", login.header("Set-Cookie").orElse("").contains("; Secure"));

        // a client that does not trust the certificate gets no answer at all
        Http.Response untrusted = Http.send("https", httpsPort(), "GET", API + "/health", null, null, HttpClient.newHttpClient());
        assertEquals(untrusted.body(), -1, untrusted.status());
    }

    @Test
    public void g_consoleCommandsManageAccountsAndTokens() throws Exception {
        String added = console("fusebox:user-add --password driver-password-1 dora driver");
        assertTrue(added, added.contains("Account dora created with role driver"));
        String list = console("fusebox:user-list");
        assertTrue(list, list.contains("dora") && list.contains("driver") && list.contains(ADMIN) && list.contains("admin"));
        String duplicate = console("fusebox:user-add --password another-password-2 dora viewer");
        assertTrue(duplicate, duplicate.contains("exists already"));

        Http.Login dora = Http.login(port(), "dora", "driver-password-1");
        assertNotNull("dora cannot log in", dora);
        Http.Response post = Http.send(port(), "POST", REQUEST, "application/json", CHARGING_REQUEST, "Cookie", dora.cookie(),
                "X-CSRF-Token", dora.csrfToken());
        assertNotEquals(post.body(), 403, post.status());
        assertNotEquals(post.body(), 401, post.status());

        String created = console("fusebox:token-create robot viewer");
        Matcher m = Pattern.compile("(fbx_[0-9a-f]+\\.[A-Za-z0-9_-]+)").matcher(created);
        assertTrue(created, m.find());
        assertEquals(200, Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", "Bearer " + m.group(1)).status());
        String id = m.group(1).substring(4, m.group(1).indexOf('.'));
        assertTrue(console("fusebox:token-list"), console("fusebox:token-list").contains(id));
        assertTrue(console("fusebox:token-revoke " + id).contains("revoked"));
        assertEquals(401, Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", "Bearer " + m.group(1)).status());

        // removing the account ends its session at once
        String removed = console("fusebox:user-remove dora");
        assertTrue(removed, removed.contains("Account dora removed"));
        assertEquals(401, Http.send(port(), "GET", API + "/site", null, null, "Cookie", dora.cookie()).status());
    }

    /** One command in a session of the container's Karaf shell; its output and error text. */
    private String console(String command) throws Exception {
        SessionFactory factory = awaitService(SessionFactory.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute(command);
        } catch (Exception e) {
            out.println(e.getMessage());
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void z_failedLoginsAreRateLimited() {
        int status = 0;
        Http.Response r = null;
        int attempts = 0;
        while (attempts < 20) {
            attempts++;
            r = Http.send(port(), "POST", API + "/auth/login", "application/json", Http.loginBody(ADMIN, "wrong-password-" + attempts));
            status = r.status();
            if (status == 429) {
                break;
            }
            assertEquals(r.body(), 401, status);
        }
        assertEquals("never limited after " + attempts + " attempts: " + r.body(), 429, status);
        assertTrue("limited only after " + attempts, attempts <= 6);
        int retryAfter = Integer.parseInt(r.header("Retry-After").orElseThrow());
        assertTrue("Retry-After " + retryAfter, retryAfter > 0 && retryAfter <= 300);
        // the right password does not get through meanwhile, neither by login nor by HTTP Basic
        Http.Response right = Http.send(port(), "POST", API + "/auth/login", "application/json", Http.loginBody(ADMIN, ADMIN_PASSWORD));
        assertEquals(right.body(), 429, right.status());
        Http.Response viaBasic = Http.send(port(), "GET", API + "/bundles", null, null, "Authorization", basic(ADMIN, ADMIN_PASSWORD));
        assertEquals(viaBasic.body(), 429, viaBasic.status());
    }
}
