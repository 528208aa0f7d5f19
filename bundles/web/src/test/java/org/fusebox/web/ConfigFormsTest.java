package org.fusebox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

class ConfigFormsTest {

    /** An attribute as a Metatype provider describes it (what bnd writes from {@code @AttributeDefinition}). */
    record Attr(String id, int type, int cardinality, String[] defaults, String[] optionValues) implements AttributeDefinition {
        @Override public String getName() { return id + " name"; }
        @Override public String getID() { return id; }
        @Override public String getDescription() { return id + " description"; }
        @Override public int getCardinality() { return cardinality; }
        @Override public int getType() { return type; }
        @Override public String[] getOptionValues() { return optionValues; }
        @Override public String[] getOptionLabels() { return optionValues; }
        @Override public String validate(String value) { return null; }
        @Override public String[] getDefaultValue() { return defaults; }
    }

    record Ocd(List<AttributeDefinition> required, List<AttributeDefinition> optional) implements ObjectClassDefinition {
        @Override public String getName() { return "Core"; }
        @Override public String getID() { return "fusebox.core"; }
        @Override public String getDescription() { return "the core"; }
        @Override public InputStream getIcon(int size) { return null; }
        @Override public AttributeDefinition[] getAttributeDefinitions(int filter) {
            List<AttributeDefinition> out = new ArrayList<>();
            if (filter != OPTIONAL) out.addAll(required);
            if (filter != REQUIRED) out.addAll(optional);
            return out.toArray(new AttributeDefinition[0]);
        }
    }

    private final Ocd ocd = new Ocd(
            List.of(new Attr("fuseLimitAmps", AttributeDefinition.DOUBLE, 0, null, null)),
            List.of(new Attr("phases", AttributeDefinition.INTEGER, 0, new String[] {"3"}, null),
                    new Attr("enabled", AttributeDefinition.BOOLEAN, 0, new String[] {"true"}, null),
                    new Attr("mode", AttributeDefinition.STRING, 0, new String[] {"a"}, new String[] {"a", "b"}),
                    new Attr("names", AttributeDefinition.STRING, 100, null, null),
                    new Attr("limits", AttributeDefinition.INTEGER, -10, null, null),
                    new Attr("password", AttributeDefinition.PASSWORD, 0, null, null)));

    @Test
    void theFormListsRequiredFieldsFirstWithTypesDefaultsAndOptions() {
        Map<String, Object> form = ConfigForms.describe(ocd);
        assertThat(form).containsEntry("name", "Core");
        List<?> fields = (List<?>) form.get("fields");
        assertThat(fields).hasSize(7);
        Map<?, ?> fuse = (Map<?, ?>) fields.get(0);
        assertThat(fuse.get("id")).isEqualTo("fuseLimitAmps");
        assertThat(fuse.get("type")).isEqualTo("decimal");
        assertThat(fuse.get("required")).isEqualTo(true);
        Map<?, ?> mode = (Map<?, ?>) fields.get(3);
        assertThat((List<?>) mode.get("options")).hasSize(2);
        assertThat(mode.get("default")).isEqualTo(List.of("a"));
        assertThat(((Map<?, ?>) fields.get(6)).get("type")).isEqualTo("password");
    }

    @Test
    void answersBecomeTheAttributesTypes() {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("fuseLimitAmps", "63.5");
        answers.put("phases", " 1 ");
        answers.put("enabled", "FALSE");
        answers.put("mode", "b");
        answers.put("names", List.of("x", " ", "y"));
        answers.put("limits", List.of("6", "16"));
        answers.put("password", "********");
        List<String> problems = new ArrayList<>();
        Map<String, Object> props = ConfigForms.properties(ocd, answers, problems);
        assertThat(problems).isEmpty();
        assertThat(props).containsEntry("fuseLimitAmps", 63.5).containsEntry("phases", 1).containsEntry("enabled", false)
                .containsEntry("mode", "b").containsEntry("password", "********");
        assertThat((String[]) props.get("names")).containsExactly("x", "y");
        assertThat((Integer[]) props.get("limits")).containsExactly(6, 16);
    }

    @Test
    void anEmptyAnswerLeavesTheKeyOutSoTheDefaultApplies() {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("phases", "");
        answers.put("enabled", "  ");
        List<String> problems = new ArrayList<>();
        assertThat(ConfigForms.properties(ocd, answers, problems)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void everyValueNotOfItsTypeIsNamedAtOnce() {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("fuseLimitAmps", "sixty");
        answers.put("phases", "2.5");
        answers.put("enabled", "yes");
        answers.put("limits", List.of("6", "x"));
        answers.put("fuseLimitAmp", "63");
        List<String> problems = new ArrayList<>();
        Map<String, Object> props = ConfigForms.properties(ocd, answers, problems);
        assertThat(problems).containsExactly("fuseLimitAmps: \"sixty\" is not a number", "phases: \"2.5\" is not a whole number",
                "enabled: \"yes\" is not true or false", "limits: \"x\" is not a whole number");
        // an unknown key goes on as given, for config-admin to refuse by name
        assertThat(props).containsEntry("fuseLimitAmp", "63");
    }

    @Test
    void infinityIsNotANumberHere() {
        List<String> problems = new ArrayList<>();
        ConfigForms.properties(ocd, Map.of("fuseLimitAmps", "Infinity"), problems);
        assertThat(problems).containsExactly("fuseLimitAmps: \"Infinity\" is not a number");
    }
}
