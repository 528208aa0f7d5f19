package org.fusebox.rest.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one place the API's JSON conventions are set. */
public final class ApiJson {

    private ApiJson() {
    }

    /**
     * A mapper for the API's views: instants as ISO-8601 strings (UTC), quantities as {@code {"unit": value}}
     * objects, indented because people read this with curl.
     */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // Modules are registered explicitly: ServiceLoader discovery does not work across OSGi bundles.
        mapper.registerModule(new JavaTimeModule());
        // Registered after JavaTimeModule so that its Duration writer wins over the ISO-8601 one.
        mapper.registerModule(new UnitsModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        return mapper;
    }
}
