package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What the mapping needs of an OpenADR program: its name for people, and its payloadDescriptors
 * (units and currency of payload types that an event does not describe itself).
 */
record Program(String id, String name, JsonNode payloadDescriptors) {

    Program {
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id : name;
    }

    /** Reads a program object; null when it has no id (it cannot be referred to). */
    static Program of(JsonNode program) {
        JsonNode id = program.path("id");
        if (!id.isTextual() || id.asText().isEmpty()) {
            return null;
        }
        return new Program(id.asText(), program.path("programName").asText(null), program.path("payloadDescriptors"));
    }
}
