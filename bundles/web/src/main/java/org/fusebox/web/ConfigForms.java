package org.fusebox.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * A component's Metatype as a form description, and a form's answers back as the typed properties Config Admin
 * holds. Range and option checks are config-admin's ({@code ConfigurationService.apply}); this class only turns
 * text into the attribute's type and names every value it cannot.
 */
final class ConfigForms {

    private ConfigForms() {
    }

    /** The form of one OCD: its attributes in Metatype order, each with what an input needs. */
    static Map<String, Object> describe(ObjectClassDefinition ocd) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", ocd.getName());
        form.put("description", ocd.getDescription());
        List<Map<String, Object>> fields = new ArrayList<>();
        AttributeDefinition[] required = ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
        AttributeDefinition[] optional = ocd.getAttributeDefinitions(ObjectClassDefinition.OPTIONAL);
        for (AttributeDefinition[] group : new AttributeDefinition[][] {required, optional}) {
            if (group == null) {
                continue;
            }
            for (AttributeDefinition ad : group) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("id", ad.getID());
                f.put("name", ad.getName());
                f.put("description", ad.getDescription());
                f.put("type", typeName(ad.getType()));
                f.put("cardinality", ad.getCardinality());
                f.put("required", group == required);
                f.put("default", ad.getDefaultValue() == null ? List.of() : List.of(ad.getDefaultValue()));
                // Felix Metatype keeps min/max only inside validate(); bnd writes them as the attribute's min and max,
                // which the OSGi API gives no getter for, so the form shows them through the description and the refusal
                List<Map<String, String>> options = new ArrayList<>();
                String[] labels = ad.getOptionLabels();
                String[] values = ad.getOptionValues();
                if (values != null) {
                    for (int i = 0; i < values.length; i++) {
                        options.add(Map.of("value", values[i], "label", labels != null && i < labels.length ? labels[i] : values[i]));
                    }
                }
                f.put("options", options);
                fields.add(f);
            }
        }
        form.put("fields", fields);
        return form;
    }

    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.STRING -> "string";
            case AttributeDefinition.PASSWORD -> "password";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> "integer";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "decimal";
            case AttributeDefinition.CHARACTER -> "character";
            default -> "string";
        };
    }

    /**
     * The properties of a form's answers: each value (a string, or a list of strings for a multi-valued attribute)
     * in its attribute's type. An empty answer leaves the key out, so the component's default applies. Keys the OCD
     * does not know are passed on as given for config-admin to refuse by name.
     *
     * @param problems gets one line per value that is not of its type
     */
    static Map<String, Object> properties(ObjectClassDefinition ocd, Map<String, Object> answers, List<String> problems) {
        Map<String, AttributeDefinition> byId = new LinkedHashMap<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            byId.put(ad.getID(), ad);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : answers.entrySet()) {
            AttributeDefinition ad = byId.get(e.getKey());
            Object value = e.getValue();
            if (ad == null) {
                if (value != null) {
                    out.put(e.getKey(), value instanceof List<?> l ? l.stream().map(String::valueOf).toArray(String[]::new) : String.valueOf(value));
                }
                continue;
            }
            if (ad.getCardinality() == 0) {
                String text = value == null ? "" : String.valueOf(value).trim();
                if (text.isEmpty() && ad.getType() != AttributeDefinition.STRING && ad.getType() != AttributeDefinition.PASSWORD) {
                    continue;
                }
                if (text.isEmpty() && value == null) {
                    continue;
                }
                Object typed = convert(ad, ad.getType() == AttributeDefinition.STRING || ad.getType() == AttributeDefinition.PASSWORD
                        ? String.valueOf(value) : text, problems);
                if (typed != null) {
                    out.put(ad.getID(), typed);
                }
            } else {
                List<String> items = new ArrayList<>();
                if (value instanceof List<?> list) {
                    list.forEach(v -> {
                        String s = String.valueOf(v).trim();
                        if (!s.isEmpty()) {
                            items.add(s);
                        }
                    });
                } else if (value != null && !String.valueOf(value).isBlank()) {
                    for (String line : String.valueOf(value).split("\n")) {
                        if (!line.isBlank()) {
                            items.add(line.trim());
                        }
                    }
                }
                if (ad.getType() == AttributeDefinition.STRING || ad.getType() == AttributeDefinition.PASSWORD) {
                    out.put(ad.getID(), items.toArray(new String[0]));
                } else {
                    List<Object> typed = new ArrayList<>();
                    int before = problems.size();
                    items.forEach(s -> typed.add(convert(ad, s, problems)));
                    if (problems.size() == before) {
                        out.put(ad.getID(), typedArray(ad.getType(), typed));
                    }
                }
            }
        }
        return out;
    }

    private static Object typedArray(int type, List<Object> values) {
        return switch (type) {
            case AttributeDefinition.BOOLEAN -> values.toArray(new Boolean[0]);
            case AttributeDefinition.INTEGER -> values.toArray(new Integer[0]);
            case AttributeDefinition.LONG -> values.toArray(new Long[0]);
            case AttributeDefinition.DOUBLE -> values.toArray(new Double[0]);
            case AttributeDefinition.FLOAT -> values.toArray(new Float[0]);
            default -> values.stream().map(String::valueOf).toArray(String[]::new);
        };
    }

    private static Object convert(AttributeDefinition ad, String text, List<String> problems) {
        try {
            return switch (ad.getType()) {
                case AttributeDefinition.BOOLEAN -> {
                    String t = text.toLowerCase(Locale.ROOT);
                    if (!t.equals("true") && !t.equals("false")) {
                        throw new IllegalArgumentException();
                    }
                    yield Boolean.valueOf(t);
                }
                case AttributeDefinition.INTEGER -> Integer.valueOf(text);
                case AttributeDefinition.LONG -> Long.valueOf(text);
                case AttributeDefinition.SHORT -> Short.valueOf(text);
                case AttributeDefinition.BYTE -> Byte.valueOf(text);
                case AttributeDefinition.DOUBLE -> finite(Double.parseDouble(text));
                case AttributeDefinition.FLOAT -> (float) finite(Double.parseDouble(text));
                case AttributeDefinition.CHARACTER -> {
                    if (text.length() != 1) {
                        throw new IllegalArgumentException();
                    }
                    yield text.charAt(0);
                }
                default -> text;
            };
        } catch (IllegalArgumentException e) {
            problems.add(ad.getID() + ": \"" + text + "\" is not " + switch (typeName(ad.getType())) {
                case "integer" -> "a whole number";
                case "decimal" -> "a number";
                case "boolean" -> "true or false";
                default -> "one character";
            });
            return null;
        }
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException();
        }
        return d;
    }
}
