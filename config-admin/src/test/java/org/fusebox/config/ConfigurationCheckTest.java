package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.junit.jupiter.api.Test;

class ConfigurationCheckTest {

    /** An attribute that accepts positive numbers, as a metatype provider with min="0" would. */
    private static AttributeDefinition positive(String id) {
        return new AttributeDefinition() {
            public String getName() { return id; }
            public String getID() { return id; }
            public String getDescription() { return ""; }
            public int getCardinality() { return 0; }
            public int getType() { return DOUBLE; }
            public String[] getOptionValues() { return null; }
            public String[] getOptionLabels() { return null; }
            public String[] getDefaultValue() { return null; }

            public String validate(String value) {
                try {
                    return Double.parseDouble(value) > 0 ? "" : "value " + value + " is below the minimum";
                } catch (NumberFormatException e) {
                    return "not a number: " + value;
                }
            }
        };
    }

    private static ObjectClassDefinition ocd(AttributeDefinition... ads) {
        return new ObjectClassDefinition() {
            public String getName() { return "test"; }
            public String getID() { return "test"; }
            public String getDescription() { return ""; }
            public AttributeDefinition[] getAttributeDefinitions(int filter) { return ads; }
            public InputStream getIcon(int size) { return null; }
        };
    }

    @Test
    void reportsInvalidValuesAndUnknownKeysButNotInfrastructureKeys() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("fuseLimitAmps", "-5");
        props.put("fuseLimitAmp", "40");
        props.put("service.pid", "fusebox.core");
        props.put("felix.fileinstall.filename", "file:/etc/fusebox.core.cfg");

        List<String> problems = ConfigurationCheck.problems("fusebox.core", props, ocd(positive("fuseLimitAmps")));

        assertThat(problems).containsExactlyInAnyOrder(
                "fusebox.core: fuseLimitAmps=-5 is invalid: value -5 is below the minimum",
                "fusebox.core: unknown key 'fuseLimitAmp' (known keys: fuseLimitAmps)");
    }

    @Test
    void checksEveryElementOfAnArray() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("limits", new double[] { 3, -1 });

        assertThat(ConfigurationCheck.problems("fusebox.x", props, ocd(positive("limits"))))
                .containsExactly("fusebox.x: limits=-1.0 is invalid: value -1.0 is below the minimum");
    }

    @Test
    void aValidConfigurationHasNoProblems() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("fuseLimitAmps", 63.0);
        assertThat(ConfigurationCheck.problems("fusebox.core", props, ocd(positive("fuseLimitAmps")))).isEmpty();
    }
}
