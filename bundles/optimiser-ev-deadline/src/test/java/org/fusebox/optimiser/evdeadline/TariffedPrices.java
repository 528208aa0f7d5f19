package org.fusebox.optimiser.evdeadline;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.tariff.TariffConfig;
import org.fusebox.tariff.TariffService;

/**
 * What the site pays per slot under a tariff, computed by the tariff bundle itself ({@link TariffService}),
 * for {@link DepotQualityBenchmark}. The configuration is read from a file in the format of
 * {@code etc/fusebox.tariff.cfg} and handed to the service as Declarative Services would: a {@link TariffConfig}
 * with the file's values and the Metatype defaults for the rest, passed to its activate method. A configuration
 * the service refuses stops the benchmark with the service's reasons.
 */
final class TariffedPrices {

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private TariffedPrices() {
    }

    /** The import prices over the whole {@code spot} curve, in the zone whose clock the time bands follow. */
    static List<PriceSlot> importPrices(Path cfg, PriceCurve spot, ZoneId zone) throws IOException {
        TariffService service = configured(read(cfg));
        Health health = service.health();
        if (health.status() != HealthStatus.UP) {
            throw new IllegalArgumentException(cfg + ": the tariff refused its configuration: " + health);
        }
        List<PriceSlot> slots = spot.slots();
        return service.prices(slots.get(0).start(), slots.get(slots.size() - 1).end(), spot, Set.of(), zone).importPrices().slots();
    }

    /** The file's settings in key order, lists written out, for the benchmark's report. */
    static String describe(Path cfg) throws IOException {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(read(cfg)).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(v instanceof String[] list ? Arrays.toString(list) : v));
        return sb.toString();
    }

    /** A .cfg file: properties, a list written as {@code ["a", "b"]}. */
    static Map<String, Object> read(Path cfg) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> values = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key).trim();
            if (v.startsWith("[") && v.endsWith("]")) {
                List<String> items = new ArrayList<>();
                Matcher m = QUOTED.matcher(v);
                while (m.find()) {
                    items.add(m.group(1));
                }
                values.put(key, items.toArray(String[]::new));
            } else {
                values.put(key, v);
            }
        }
        return values;
    }

    private static TariffService configured(Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                TariffConfig.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("unknown tariff key '" + key + "'");
            }
        }
        TariffConfig config = (TariffConfig) Proxy.newProxyInstance(TariffConfig.class.getClassLoader(), new Class<?>[] { TariffConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> TariffConfig.class;
                    case "toString" -> "TariffConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
        TariffService service = new TariffService();
        try {
            // the component's @Activate/@Modified method, package-private as DS allows; SCR calls it the same way
            Method activate = TariffService.class.getDeclaredMethod("configure", TariffConfig.class);
            activate.setAccessible(true);
            activate.invoke(service, config);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("TariffService has no configure(TariffConfig) to activate it with", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("activating the tariff failed", e.getCause());
        }
        return service;
    }
}
