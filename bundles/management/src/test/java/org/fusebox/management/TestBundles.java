package org.fusebox.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds small bundle jars in tests: a manifest, classes copied from the test class path, extra resources. */
final class TestBundles {

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TestBundles(String bsn, String version) {
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", bsn);
        headers.put("Bundle-Version", version);
    }

    static TestBundles bundle(String bsn, String version) {
        return new TestBundles(bsn, version);
    }

    /** A bundle whose activator is {@code activator}, importing org.osgi.framework (and the health API). */
    static TestBundles withActivator(String bsn, String version, Class<?> activator) {
        return bundle(bsn, version).header("Bundle-Activator", activator.getName())
                .header("Import-Package", "org.osgi.framework,org.fusebox.api.health").classes(activator);
    }

    TestBundles header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    TestBundles classes(Class<?>... classes) {
        for (Class<?> c : classes) {
            String path = c.getName().replace('.', '/') + ".class";
            entries.put(path, resource(path));
            // anonymous and nested classes travel with their outer class
            for (int i = 1; i < 10; i++) {
                String nested = c.getName().replace('.', '/') + "$" + i + ".class";
                if (getClass().getClassLoader().getResource(nested) != null) {
                    entries.put(nested, resource(nested));
                }
            }
        }
        return this;
    }

    TestBundles resource(String path, String content) {
        entries.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A DS component (hand-written descriptor) implemented by {@code impl}, needing the given service interfaces. */
    TestBundles component(String name, Class<?> impl, List<String> requiredServices) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" immediate=\"true\">\n"
                + "  <implementation class=\"" + impl.getName() + "\"/>\n");
        for (String s : requiredServices) {
            xml.append("  <reference name=\"").append(s.replace('.', '_')).append("\" interface=\"").append(s)
                    .append("\" cardinality=\"1..1\" policy=\"static\"/>\n");
        }
        xml.append("</scr:component>\n");
        String path = "OSGI-INF/" + name + ".xml";
        headers.merge("Service-Component", path, (a, b) -> a + "," + b);
        return resource(path, xml.toString()).classes(impl);
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(headers.get("Bundle-SymbolicName") + "-" + headers.get("Bundle-Version") + "-"
                + System.nanoTime() + ".jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        try (OutputStream fo = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(fo, mf)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return out;
    }

    private byte[] resource(String path) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + path + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
